package dev.neurite.standard.schedules;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Schedule;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.State;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeSet;

@Doc("Multiplies the rate by factor when a metric has not improved for patience epochs, as PyTorch's ReduceLROnPlateau "
    + "(relative threshold)")
public final class ReduceOnPlateau implements Schedule, SetupCheck {
  public enum Mode { MIN, MAX }

  public record Params(
      @Doc("the metrics column to watch, e.g. validation_loss or train_accuracy") @Default("validation_loss") String monitor,
      @Doc("min: lower is better; max: higher is better") @Default("min") Mode mode,
      @Doc("multiplier applied on a plateau") @Default("0.1") @Min(value = 0, exclusive = true) @Max(value = 1, exclusive = true) double factor,
      @Doc("epochs without improvement before reducing") @Default("10") @Min(0) int patience,
      @Doc("relative improvement that counts") @Default("1e-4") @Min(0) double threshold,
      @Doc("epochs to wait after a reduction") @Default("0") @Min(0) int cooldown,
      @Doc("the factor never goes below this") @Default("0") @Min(0) double minFactor) {}

  private final Params p;
  private double current = 1.0;
  private double best;
  private int badEpochs;
  private int cooldownLeft;

  @Inject
  public ReduceOnPlateau(Params params) {
    this.p = params;
    this.best = params.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  @Override
  public double factor(Progress progress) {
    return current;
  }

  /** The watched column must be one the run writes. */
  @Override
  public void check(Setup setup) {
    setup.requireColumn("monitor", p.monitor());
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> metrics) {
    Double value = metrics.get(p.monitor());
    if (value == null) {
      throw new NeuriteException("reduce_on_plateau watches '" + p.monitor() + "', which is not among this run's metrics "
          + new TreeSet<>(metrics.keySet()) + "; list the metric under metrics: (and a validation split for validation_*)");
    }
    boolean better = p.mode() == Mode.MIN ? value < best * (1 - p.threshold()) : value > best * (1 + p.threshold());
    if (better) {
      best = value;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (cooldownLeft > 0) {
      cooldownLeft--;
      badEpochs = 0;
    }
    if (badEpochs > p.patience()) {
      current = Math.max(current * p.factor(), p.minFactor());
      cooldownLeft = p.cooldown();
      badEpochs = 0;
    }
  }

  @Override
  public State state() {
    return new State(Map.of(), Map.of("factor", current, "best", best, "bad_epochs", (long) badEpochs, "cooldown_left", (long) cooldownLeft));
  }

  @Override
  public void load(State state) {
    current = state.numbers().get("factor").doubleValue();
    best = state.numbers().get("best").doubleValue();
    badEpochs = state.numbers().get("bad_epochs").intValue();
    cooldownLeft = state.numbers().get("cooldown_left").intValue();
  }
}
