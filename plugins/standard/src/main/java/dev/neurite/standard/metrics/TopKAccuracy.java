package dev.neurite.standard.metrics;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.Min;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Map;

@Doc("Fraction of samples whose class is among the k highest-scored (ties counted against)")
public final class TopKAccuracy implements Metric, Stateful, SetupCheck {
  public record Params(@Doc("how many top classes count") @Default("5") @Min(1) int k) {}

  private final int k;
  private long hits;
  private long count;

  @Inject
  public TopKAccuracy(Params params) {
    this.k = params.k();
  }

  /** With k at or above the number of classes every sample would count as a hit. */
  @Override
  public void check(Setup setup) {
    int classes = setup.output().size();
    if (k >= classes) {
      throw new IllegalArgumentException("k: " + k + " is not below the model's " + classes + " outputs, so every sample would count; "
          + "use k from 1 to " + (classes - 1));
    }
  }

  @Override
  public void reset() {
    hits = 0;
    count = 0;
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int c = output.rowSize();
    for (int r = 0; r < output.rows(); r++) {
      int actual = Classes.actual(target, r, c);
      float score = output.get(r * c + actual);
      int higher = 0;
      for (int j = 0; j < c; j++) if (j != actual && output.get(r * c + j) >= score) higher++;
      if (higher < k) hits++;
    }
    count += output.rows();
  }

  @Override
  public State state() {
    return new State(Map.of(), Map.of("hits", hits, "count", count));
  }

  @Override
  public void load(State state) {
    hits = state.numbers().get("hits").longValue();
    count = state.numbers().get("count").longValue();
  }

  @Override
  public double value() {
    return count == 0 ? Double.NaN : (double) hits / count;
  }
}
