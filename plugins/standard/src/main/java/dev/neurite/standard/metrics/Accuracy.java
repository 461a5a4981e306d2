package dev.neurite.standard.metrics;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.State;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Map;

@Doc("Fraction of samples classified correctly. Several outputs: the arg-max against a class index "
    + "(or the arg-max of one-hot targets). One output: output > threshold against target > 0.5. Scores per step "
    + "[time, classes] against a class index per step [time]: the fraction of steps (tokens) predicted correctly")
public final class Accuracy implements Metric, Stateful {
  public record Params(@Doc("decision threshold for a single output (0.5 for a sigmoid, 0 for a logit)")
                       @Default("0.5") double threshold) {}

  private final double threshold;
  private long correct;
  private long count;

  @Inject
  public Accuracy(Params params) {
    this.threshold = params.threshold();
  }

  @Override
  public void reset() {
    correct = 0;
    count = 0;
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int c = output.shape().dim(output.shape().rank() - 1);
    int n = output.size() / c; // samples, or samples x steps
    int tc = target.size() / n;
    float[] o = output.data();
    float[] t = target.data();
    for (int r = 0; r < n; r++) {
      if (tc == 1 && t[r] == StepMask.IGNORED_TARGET) continue; // a padded step
      count++;
      boolean hit;
      if (c == 1) {
        hit = (o[r] > threshold) == (t[r * tc] > 0.5f);
      } else {
        int predicted = argMax(o, r * c, c);
        int actual = tc == 1 ? (int) t[r] : argMax(t, r * tc, tc);
        hit = predicted == actual;
      }
      if (hit) correct++;
    }
  }

  private static int argMax(float[] v, int offset, int len) {
    int best = 0;
    for (int j = 1; j < len; j++) if (v[offset + j] > v[offset + best]) best = j;
    return best;
  }

  @Override
  public State state() {
    return new State(Map.of(), Map.of("correct", correct, "count", count));
  }

  @Override
  public void load(State state) {
    correct = state.numbers().get("correct").longValue();
    count = state.numbers().get("count").longValue();
  }

  @Override
  public double value() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }
}
