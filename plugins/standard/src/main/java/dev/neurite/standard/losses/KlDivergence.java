package dev.neurite.standard.losses;

import dev.neurite.spi.DataRowException;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Loss;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Kullback-Leibler divergence KL(target || model) from log-probabilities (after log_softmax) and target probabilities, "
    + "summed over classes and averaged over the batch: PyTorch's KLDivLoss(reduction='batchmean')")
public final class KlDivergence implements Loss {
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  @Override
  public void check(Shape output, Tensor targets) {
    if (!targets.shape().dropFirst().equals(output)) {
      throw new IllegalArgumentException("kl_divergence needs target probabilities shaped like the output " + output);
    }
    float[] y = targets.data();
    int width = Math.max(1, targets.shape().dropFirst().size());
    for (int i = 0; i < y.length; i++) {
      if (!(y[i] >= 0)) throw new DataRowException(i / width, "", " has target probability " + y[i] + "; they must be >= 0", true);
    }
  }

  @Override
  public double forward(Tensor output, Tensor target) {
    this.output = output;
    this.target = target;
    double sum = 0;
    for (int i = 0; i < output.size(); i++) {
      double t = target.get(i);
      if (t > 0) sum += t * (Math.log(t) - output.get(i));
    }
    return sum / output.rows();
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, output.shape());
    float inv = 1f / output.rows();
    for (int i = 0; i < output.size(); i++) grad.set(i, -target.get(i) * inv);
    return grad;
  }
}
