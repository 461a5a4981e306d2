package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import jakarta.inject.Inject;

@Doc("Multiplies the rate by gamma every step_size epochs (or steps), as PyTorch's StepLR")
@Example("step_size: 10")
public final class StepDecay implements Schedule {
  public record Params(
      @Doc("epochs (or steps) between decays") @Min(1) int stepSize,
      @Doc("decay factor") @Default("0.1") @Min(value = 0, exclusive = true) double gamma,
      @Doc("epoch or step") @Default("epoch") Unit unit) {}

  private final Params p;

  @Inject
  public StepDecay(Params params) {
    this.p = params;
  }

  @Override
  public double factor(Progress progress) {
    return Math.pow(p.gamma(), Math.floor(progress.time(p.unit().perStep()) / p.stepSize()));
  }
}
