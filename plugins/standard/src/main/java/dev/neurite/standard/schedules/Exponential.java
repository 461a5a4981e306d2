package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import jakarta.inject.Inject;

@Doc("Multiplies the rate by gamma every epoch (or step), as PyTorch's ExponentialLR")
@Example("gamma: 0.95")
public final class Exponential implements Schedule {
  public record Params(
      @Doc("decay factor per epoch (or step)") @Min(value = 0, exclusive = true) @Max(1) double gamma,
      @Doc("epoch or step") @Default("epoch") Unit unit) {}

  private final Params p;

  @Inject
  public Exponential(Params params) {
    this.p = params;
  }

  @Override
  public double factor(Progress progress) {
    return Math.pow(p.gamma(), progress.time(p.unit().perStep()));
  }
}
