package dev.neurite.standard.callbacks;

import dev.neurite.spi.Callback;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

@Doc("Stops training when a metric has not improved by min_delta for patience epochs, and by default puts back the "
    + "weights of the best epoch (as Keras's EarlyStopping with restore_best_weights)")
public final class EarlyStopping implements Callback, Stateful, SetupCheck {
  public enum Mode { MIN, MAX }

  public record Params(
      @Doc("the metrics column to watch, e.g. validation_loss") @Default("validation_loss") String monitor,
      @Doc("min: lower is better; max: higher is better") @Default("min") Mode mode,
      @Doc("epochs without improvement before stopping") @Default("10") @Min(1) int patience,
      @Doc("the smallest change that counts as an improvement") @Default("0") @Min(0) double minDelta,
      @Doc("at the end, restore the weights of the best epoch") @Default("true") boolean restoreBest) {}

  private final Params p;
  private double best;
  private int bestEpoch;
  private int wait;
  private final Map<String, float[]> bestWeights = new LinkedHashMap<>();

  @Inject
  public EarlyStopping(Params params) {
    this.p = params;
    this.best = params.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /** The watched column must be one the run writes. */
  @Override
  public void check(Setup setup) {
    setup.requireColumn("monitor", p.monitor());
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> metrics, Control control) {
    Double value = metrics.get(p.monitor());
    if (value == null) {
      throw new NeuriteException("early_stopping watches '" + p.monitor() + "', which is not among this run's metrics "
          + new TreeSet<>(metrics.keySet()) + "; list the metric under metrics: (and a validation split for validation_*)");
    }
    boolean improved = p.mode() == Mode.MIN ? value < best - p.minDelta() : value > best + p.minDelta();
    if (improved) {
      best = value;
      bestEpoch = epoch;
      wait = 0;
      if (p.restoreBest()) for (Param param : control.params()) bestWeights.put(param.name(), param.value().data().clone());
    } else if (++wait >= p.patience()) {
      control.requestStop(p.monitor() + " has not improved for " + p.patience() + " epochs (best " + best + " at epoch " + bestEpoch + ")");
    }
  }

  @Override
  public void onTrainEnd(Control control) {
    if (!p.restoreBest() || bestWeights.isEmpty()) return;
    for (Param param : control.params()) {
      float[] saved = bestWeights.get(param.name());
      if (saved != null) System.arraycopy(saved, 0, param.value().data(), 0, saved.length);
    }
  }

  @Override
  public State state() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    bestWeights.forEach((name, w) -> tensors.put("best." + name, Tensor.wrap(w.clone(), w.length)));
    return new State(tensors, Map.of("best", best, "best_epoch", (long) bestEpoch, "wait", (long) wait));
  }

  @Override
  public void load(State state) {
    best = state.numbers().get("best").doubleValue();
    bestEpoch = state.numbers().get("best_epoch").intValue();
    wait = state.numbers().get("wait").intValue();
    bestWeights.clear();
    state.tensors().forEach((k, t) -> bestWeights.put(k.substring("best.".length()), t.data().clone()));
  }
}
