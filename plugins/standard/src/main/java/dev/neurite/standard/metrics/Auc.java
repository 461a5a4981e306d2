package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

@Doc("Area under the ROC curve of a binary classifier (scikit-learn's roc_auc_score): the score is the single output, "
    + "or output[1] - output[0] for two; ties count one half")
public final class Auc implements Metric, Stateful, SetupCheck {
  private double[] scores = new double[0];
  private boolean[] positive = new boolean[0];
  private int n;

  @Override
  public void check(Setup setup) {
    int c = setup.output().size();
    if (c > 2) {
      throw new IllegalArgumentException("auc is for binary classifiers (1 or 2 outputs), but the model has " + c
          + "; for several classes use accuracy, top_k_accuracy or f1");
    }
  }

  @Override
  public void reset() {
    n = 0;
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int c = output.rowSize();
    if (c > 2) throw new IllegalArgumentException("auc is for binary classifiers (1 or 2 outputs), the model has " + c);
    for (int r = 0; r < output.rows(); r++) {
      if (n == scores.length) {
        scores = Arrays.copyOf(scores, Math.max(16, 2 * n));
        positive = Arrays.copyOf(positive, scores.length);
      }
      scores[n] = c == 1 ? output.get(r) : output.get(r * 2 + 1) - output.get(r * 2);
      positive[n] = Classes.actual(target, r, c) == 1;
      n++;
    }
  }

  /** The scores so far (floats widened, so exact as a float tensor) and which were positive. */
  @Override
  public State state() {
    float[] s = new float[n];
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = (float) scores[i];
      p[i] = positive[i] ? 1 : 0;
    }
    return new State(Map.of("scores", Tensor.wrap(s, n), "positive", Tensor.wrap(p, n)), Map.of("n", (long) n));
  }

  @Override
  public void load(State state) {
    n = state.numbers().get("n").intValue();
    float[] s = state.tensors().get("scores").data();
    float[] p = state.tensors().get("positive").data();
    scores = new double[Math.max(16, n)];
    positive = new boolean[scores.length];
    for (int i = 0; i < n; i++) {
      scores[i] = s[i];
      positive[i] = p[i] != 0;
    }
  }

  /** Mann-Whitney U over average ranks, divided by positives * negatives. */
  @Override
  public double value() {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
      double rank = (i + j) / 2.0 + 1; // the average rank of a tie group
      for (int t = i; t <= j; t++) {
        if (positive[order[t]]) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) return Double.NaN;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
