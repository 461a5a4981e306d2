package dev.neurite.standard.losses;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Loss;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Mean squared error over every output element, as PyTorch's MSELoss (reduction 'mean')")
public final class MeanSquaredError implements Loss {
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  @Override
  public void check(Shape output, Tensor targets) {
    Shape target = targets.shape().dropFirst();
    if (!output.equals(target)) {
      throw new IllegalArgumentException("mse compares outputs and targets element by element, so they need the same "
          + "shape; make the last layer output " + target);
    }
  }

  @Override
  public double forward(Tensor output, Tensor target) {
    this.output = output;
    this.target = target;
    float[] o = output.data();
    float[] t = target.data();
    double sum = 0;
    for (int i = 0; i < o.length; i++) {
      double d = (double) o[i] - t[i];
      sum += d * d;
    }
    return sum / o.length;
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, output.shape());
    float[] o = output.data();
    float[] t = target.data();
    float[] g = grad.data();
    float scale = 2f / o.length;
    for (int i = 0; i < o.length; i++) g[i] = scale * (o[i] - t[i]);
    return grad;
  }
}
