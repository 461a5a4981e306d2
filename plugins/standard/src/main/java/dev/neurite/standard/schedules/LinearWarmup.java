package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Schedule;
import dev.neurite.spi.State;
import jakarta.inject.Inject;
import java.util.Map;

@Doc("Raises the rate linearly from start_factor to full over the first warmup steps (or epochs), multiplied by "
    + "the schedule it wraps (which sees the same time): e.g. {type: linear_warmup, warmup: 100, then: {type: cosine, period: 50}}")
@Example("warmup: 5")
public final class LinearWarmup implements Schedule {
  public record Params(
      @Doc("steps (or epochs) of warm-up") @Min(1) int warmup,
      @Doc("the factor at the first step") @Default("0") @Min(0) @Max(1) double startFactor,
      @Doc("the schedule to warm up") @Default("constant") Schedule then,
      @Doc("step or epoch") @Default("step") Unit unit) {}

  private final Params p;

  @Inject
  public LinearWarmup(Params params) {
    this.p = params;
  }

  @Override
  public double factor(Progress progress) {
    double t = progress.time(p.unit().perStep());
    double warm = t >= p.warmup() ? 1.0 : p.startFactor() + (1 - p.startFactor()) * t / p.warmup();
    return warm * p.then().factor(progress);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> metrics) {
    p.then().onEpochEnd(epoch, metrics);
  }

  @Override
  public State state() {
    return p.then().state();
  }

  @Override
  public void load(State state) {
    p.then().load(state);
  }
}
