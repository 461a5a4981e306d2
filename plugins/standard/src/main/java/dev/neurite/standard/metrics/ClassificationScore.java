package dev.neurite.standard.metrics;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;

/** Precision, recall and F1 from a confusion matrix, averaged as scikit-learn's precision_score & co. */
public abstract class ClassificationScore implements Metric, Stateful {
  public enum Average { MACRO, MICRO, WEIGHTED, BINARY }

  public record Params(
      @Doc("macro (unweighted mean over classes), micro (from total counts), weighted (by support), or binary (class 1 only)")
      @Default("macro") Average average,
      @Doc("decision threshold for a single output") @Default("0.5") double threshold) {}

  private final Average average;
  private final ConfusionMatrix matrix;

  ClassificationScore(Params params) {
    this.average = params.average();
    this.matrix = new ConfusionMatrix(new ConfusionMatrix.Params(params.threshold()));
  }

  /** The score of one class from its true positives, false positives and false negatives. */
  abstract double score(double tp, double fp, double fn);

  @Override
  public void reset() {
    matrix.reset();
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    matrix.update(output, target, batchLoss);
  }

  @Override
  public State state() {
    return matrix.state();
  }

  @Override
  public void load(State state) {
    matrix.load(state);
  }

  @Override
  public double value() {
    long[][] m = matrix.counts();
    int k = m.length;
    if (k == 0) return Double.NaN;
    double[] tp = new double[k];
    double[] fp = new double[k];
    double[] fn = new double[k];
    double[] support = new double[k];
    double total = 0;
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        if (a == p) tp[a] += m[a][p];
        else {
          fp[p] += m[a][p];
          fn[a] += m[a][p];
        }
        support[a] += m[a][p];
        total += m[a][p];
      }
    }
    switch (average) {
      case BINARY:
        return score(tp[1], fp[1], fn[1]);
      case MICRO: {
        double t = 0, f = 0, n = 0;
        for (int c = 0; c < k; c++) {
          t += tp[c];
          f += fp[c];
          n += fn[c];
        }
        return score(t, f, n);
      }
      case WEIGHTED: {
        double sum = 0;
        for (int c = 0; c < k; c++) sum += support[c] * score(tp[c], fp[c], fn[c]);
        return sum / total;
      }
      default: {
        double sum = 0;
        for (int c = 0; c < k; c++) sum += score(tp[c], fp[c], fn[c]);
        return sum / k;
      }
    }
  }

  /** a / b, or 0 when b is 0 (scikit-learn's zero_division=0). */
  static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }
}
