package dev.neurite.standard.losses;

import dev.neurite.spi.Loss;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/** A loss that is the mean over every element of f(output, target), with targets shaped like the outputs. */
abstract class ElementwiseLoss implements Loss {
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  /** f(o, t). */
  abstract double value(float o, float t);

  /** df/do. */
  abstract double derivative(float o, float t);

  String name() {
    return getClass().getSimpleName();
  }

  @Override
  public void check(Shape output, Tensor targets) {
    Shape target = targets.shape().dropFirst();
    if (!output.equals(target)) {
      throw new IllegalArgumentException(name() + " compares outputs and targets element by element, so they need the same "
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
    for (int i = 0; i < o.length; i++) sum += value(o[i], t[i]);
    return sum / o.length;
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, output.shape());
    float[] o = output.data();
    float[] t = target.data();
    float[] g = grad.data();
    double inv = 1.0 / o.length;
    for (int i = 0; i < o.length; i++) g[i] = (float) (derivative(o[i], t[i]) * inv);
    return grad;
  }
}
