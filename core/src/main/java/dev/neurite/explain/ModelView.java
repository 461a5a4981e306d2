package dev.neurite.explain;

import dev.neurite.nn.Model;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * A trained model as explainers see it: inference mode, in batches of at most {@link #BATCH} samples,
 * its backward seeded with 1 at each sample's explained output. The model must have been built with
 * input gradients ({@code SavedRun.open(..., true)}).
 */
public final class ModelView implements ExplainedModel {
  static final int BATCH = 256;

  private final Model model;
  private final Shape sampleShape;
  private final Dataset training;
  private Tensor trainingMean;

  /** The model, whose training split gives the mean sample (computed when first asked for). */
  public ModelView(Model model, Dataset training) {
    this.model = model;
    this.sampleShape = training.sampleShape();
    this.training = training;
  }

  /** The model on samples of {@code sampleShape}, with a given training mean ({@code [1, ...sampleShape]}). */
  public ModelView(Model model, Shape sampleShape, Tensor trainingMean) {
    this.model = model;
    this.sampleShape = sampleShape;
    this.training = null;
    this.trainingMean = trainingMean;
  }

  @Override
  public Shape sampleShape() {
    return sampleShape;
  }

  @Override
  public Tensor outputs(Tensor inputs) {
    Tensor result = null;
    for (int from = 0; from < inputs.rows(); from += BATCH) {
      int m = Math.min(BATCH, inputs.rows() - from);
      Tensor out = model.forward(slice(inputs, from, m), Pass.INFERENCE);
      if (result == null) result = Tensor.zeros(out.shape().dropFirst().prepend(inputs.rows()));
      System.arraycopy(out.data(), 0, result.data(), from * out.rowSize(), m * out.rowSize());
    }
    return result;
  }

  @Override
  public Tensor gradient(Tensor inputs, int[] targets) {
    Tensor result = Tensor.zeros(inputs.shape());
    int per = inputs.rowSize();
    for (int from = 0; from < inputs.rows(); from += BATCH) {
      int m = Math.min(BATCH, inputs.rows() - from);
      Tensor out = model.forward(slice(inputs, from, m), Pass.INFERENCE);
      Tensor seed = Tensor.zeros(out.shape());
      int k = out.rowSize();
      for (int s = 0; s < m; s++) {
        int t = targets[from + s];
        if (t < 0 || t >= k) throw new IllegalArgumentException("output " + t + " does not exist: the model has " + k + " outputs");
        seed.data()[s * k + t] = 1f;
      }
      Tensor g = model.backward(seed);
      System.arraycopy(g.data(), 0, result.data(), from * per, m * per);
    }
    model.zeroGrad(); // the params' gradients are a by-product here; leave them as a fresh model has them
    return result;
  }

  @Override
  public Tensor trainingMean() {
    if (trainingMean == null) {
      int per = sampleShape.size();
      double[] sum = new double[per];
      float[] x = new float[per];
      float[] y = new float[training.targetShape().size()];
      for (int r = 0; r < training.size(); r++) {
        training.read(r, x, 0, y, 0);
        for (int i = 0; i < per; i++) sum[i] += x[i];
      }
      Tensor mean = Tensor.zeros(sampleShape.prepend(1));
      for (int i = 0; i < per; i++) mean.data()[i] = (float) (sum[i] / Math.max(1, training.size()));
      trainingMean = mean;
    }
    return trainingMean.copy();
  }

  /** Samples {@code from .. from + m} of {@code inputs} as a tensor of their own. */
  private static Tensor slice(Tensor inputs, int from, int m) {
    if (from == 0 && m == inputs.rows()) return inputs;
    Tensor t = Tensor.zeros(inputs.shape().dropFirst().prepend(m));
    System.arraycopy(inputs.data(), from * inputs.rowSize(), t.data(), 0, m * inputs.rowSize());
    return t;
  }
}
