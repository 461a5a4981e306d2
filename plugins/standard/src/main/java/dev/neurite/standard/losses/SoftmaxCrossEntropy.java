package dev.neurite.standard.losses;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Softmax and cross-entropy fused, computed stably from raw scores (logits), as PyTorch's CrossEntropyLoss. "
    + "Targets are class indices (shape [1]) or class probabilities (shape [classes]); optional label smoothing. On a "
    + "sequence of scores [time, classes] (a language model's next-token scores) the targets are one class index per "
    + "step [time] (or probabilities [time, classes]) and the loss is the mean over every step of every sample; a step whose "
    + "target is -100 (a padded step) is left out of the mean, as PyTorch's ignore_index")
public final class SoftmaxCrossEntropy implements Loss {
  public record Params(@Doc("mix eps of the uniform distribution into the targets, as PyTorch's label_smoothing")
                       @Default("0") @Min(0) @Max(1) double labelSmoothing) {}

  private final float smoothing;
  private Tensor probabilities;
  private Tensor target;
  private Tensor grad;
  /** Rows of the last forward pass that count (not padded steps). */
  private int counted;
  /** Scores from which the rows are split between threads (each row is computed alike on any thread). */
  private static final int SPLIT_SCORES = 1024;
  private float[] rowMax = new float[0];
  private double[] rowLogSum = new double[0];
  private float[] scores;
  private int classes;
  private boolean byIndex; // targets are class indices
  private final Parallel.RangeBody forwardRows = this::forwardRows;
  private final Parallel.RangeBody backwardRows = this::backwardRows;

  @Inject
  public SoftmaxCrossEntropy(Params params) {
    this.smoothing = (float) params.labelSmoothing();
  }

  @Override
  public void check(Shape output, Tensor targets) {
    if (output.rank() > 2) {
      throw new IllegalArgumentException("softmax_cross_entropy needs one score per class, shape [classes], or per step, shape [time, classes]");
    }
    int classes = output.dim(output.rank() - 1);
    Shape target = targets.shape().dropFirst();
    Shape indices = output.rank() == 1 ? Shape.of(1) : Shape.of(output.dim(0));
    if (target.equals(indices)) {
      ClassIndices.labels(classes, targets);
    } else if (!target.equals(output)) {
      throw new IllegalArgumentException("targets must be class indices " + indices + " or probabilities " + output + ", got " + target);
    }
  }

  @Override
  public void checkModel(List<Layer> layers) {
    Layer.Outputs outputs = Layer.outputsOf(layers);
    if (outputs == Layer.Outputs.SOFTMAX || outputs == Layer.Outputs.LOG_SOFTMAX) {
      throw new IllegalArgumentException("the model ends with a " + (outputs == Layer.Outputs.SOFTMAX ? "softmax" : "log_softmax")
          + ", but softmax_cross_entropy applies its own softmax to raw scores: remove that layer (or keep log_softmax and use nll)");
    }
  }

  @Override
  public double forward(Tensor output, Tensor target) {
    this.target = target;
    probabilities = Tensor.reuse(probabilities, output.shape());
    int c = output.shape().dim(output.shape().rank() - 1);
    int n = output.size() / c; // rows of scores: samples, or samples x steps
    if (rowMax.length < n) {
      rowMax = new float[n];
      rowLogSum = new double[n];
    }
    set(output.data(), c, n);
    try {
      byRows(n, c, forwardRows);
    } finally {
      scores = null;
    }
    float[] z = output.data();
    float[] t = target.data();
    double total = 0;
    counted = 0;
    for (int r = 0; r < n; r++) { // the rows' losses, added in order
      int o = r * c;
      if (byIndex && t[r] == StepMask.IGNORED_TARGET) continue;
      counted++;
      float max = rowMax[r];
      double logSum = rowLogSum[r];
      for (int j = 0; j < c; j++) {
        double weight = targetWeight(t, r, o, j, c, byIndex);
        if (weight != 0) total -= weight * (z[o + j] - max - logSum);
      }
    }
    return counted == 0 ? 0 : total / counted;
  }

  /** Each row's shift, log-sum-exp and probabilities. */
  private void forwardRows(int from, int to) {
    float[] z = scores;
    float[] p = probabilities.data();
    float[] t = target.data();
    int c = classes;
    for (int r = from; r < to; r++) {
      int o = r * c;
      if (byIndex && t[r] == StepMask.IGNORED_TARGET) continue;
      float max = Kernels.max(z, o, c);
      double logSum = Kernels.logSumExp(z, o, c, max);
      for (int j = 0; j < c; j++) p[o + j] = (float) Math.exp(z[o + j] - max - logSum);
      rowMax[r] = max;
      rowLogSum[r] = logSum;
    }
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, probabilities.shape());
    int c = probabilities.shape().dim(probabilities.shape().rank() - 1);
    int n = probabilities.size() / c;
    set(null, c, n);
    byRows(n, c, backwardRows);
    return grad;
  }

  private void backwardRows(int from, int to) {
    float[] p = probabilities.data();
    float[] t = target.data();
    float[] g = grad.data();
    int c = classes;
    float inv = 1f / Math.max(1, counted);
    for (int r = from; r < to; r++) {
      int o = r * c;
      if (byIndex && t[r] == StepMask.IGNORED_TARGET) {
        java.util.Arrays.fill(g, o, o + c, 0f);
        continue;
      }
      float mass = 0f;
      for (int j = 0; j < c; j++) mass += (float) targetWeight(t, r, o, j, c, byIndex);
      for (int j = 0; j < c; j++) g[o + j] = (p[o + j] * mass - (float) targetWeight(t, r, o, j, c, byIndex)) * inv;
    }
  }

  /** The call's arguments, read by the row bodies (kept in fields: a split allocates nothing). */
  private void set(float[] scores, int classes, int rows) {
    this.scores = scores;
    this.classes = classes;
    this.byIndex = target.size() == rows && classes != 1;
  }

  /** Runs {@code body} over rows 0..n-1: split between threads when the scores are many, else here. */
  private static void byRows(int n, int c, Parallel.RangeBody body) {
    if ((long) n * c >= SPLIT_SCORES) Parallel.forRanges(n, body);
    else body.run(0, n);
  }

  /** The (smoothed) target probability of class j in row r. */
  private double targetWeight(float[] t, int r, int o, int j, int c, boolean indices) {
    double hard = indices ? ((int) t[r] == j ? 1 : 0) : t[o + j];
    return smoothing == 0f ? hard : (1 - smoothing) * hard + smoothing / c;
  }

  @Override
  public Reading reading() {
    return Reading.CLASS_LOGITS;
  }
}
