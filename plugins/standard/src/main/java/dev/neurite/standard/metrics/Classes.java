package dev.neurite.standard.metrics;

import dev.neurite.tensor.Tensor;

/** Predicted and actual classes of a batch row, shared by the classification metrics. */
final class Classes {
  private Classes() {}

  /** The predicted class: the arg-max of several outputs, or output > threshold for one. */
  static int predicted(Tensor output, int row, double threshold) {
    int c = output.rowSize();
    if (c == 1) return output.get(row) > threshold ? 1 : 0;
    return argMax(output.data(), row * c, c);
  }

  /** The actual class: a class index target, the arg-max of a one-hot target, or target > 0.5 for one output. */
  static int actual(Tensor target, int row, int outputs) {
    int tc = target.rowSize();
    if (tc == 1) return outputs == 1 ? (target.get(row) > 0.5f ? 1 : 0) : (int) target.get(row);
    return argMax(target.data(), row * tc, tc);
  }

  /** Number of classes the model scores: 2 for a single output. */
  static int count(Tensor output) {
    return Math.max(2, output.rowSize());
  }

  static int argMax(float[] v, int offset, int len) {
    int best = 0;
    for (int j = 1; j < len; j++) if (v[offset + j] > v[offset + best]) best = j;
    return best;
  }
}
