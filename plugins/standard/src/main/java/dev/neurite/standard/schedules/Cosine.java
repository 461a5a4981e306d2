package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import jakarta.inject.Inject;

@Doc("Cosine annealing from the full rate to min_factor over period epochs (or steps), as PyTorch's CosineAnnealingLR; "
    + "with restarts, SGDR's warm restarts (CosineAnnealingWarmRestarts), each period period_mult times longer")
@Example("period: 10")
public final class Cosine implements Schedule {
  public record Params(
      @Doc("epochs (or steps) of one annealing") @Min(1) int period,
      @Doc("the factor at the end of a period") @Default("0") @Min(0) @Max(1) double minFactor,
      @Doc("start over after each period (SGDR); otherwise stay at min_factor") @Default("false") boolean restarts,
      @Doc("with restarts: how much longer each period is than the last") @Default("1") @Min(1) int periodMult,
      @Doc("epoch or step") @Default("epoch") Unit unit) {}

  private final Params p;

  @Inject
  public Cosine(Params params) {
    this.p = params;
  }

  @Override
  public double factor(Progress progress) {
    double t = progress.time(p.unit().perStep());
    double length = p.period();
    if (p.restarts()) {
      while (t >= length) {
        t -= length;
        length *= p.periodMult();
      }
    } else {
      t = Math.min(t, length);
    }
    return p.minFactor() + (1 - p.minFactor()) * (1 + Math.cos(Math.PI * t / length)) / 2;
  }
}
