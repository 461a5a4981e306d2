package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * A loss that is the mean over every element of f(output, target), with targets shaped like the
 * outputs: a subclass gives f and its derivative, and this class checks the shapes, keeps the
 * gradient buffer and runs the loops. The built-in mse, mae, huber and binary_cross_entropy extend it.
 *
 * <pre>{@code
 * public final class LogCosh extends ElementwiseLoss {
 *   protected double value(float o, float t) { double d = Math.abs(o - t); return d + Math.log1p(Math.exp(-2 * d)) - Math.log(2); }
 *   protected double derivative(float o, float t) { return Math.tanh(o - t); }
 * }
 * }</pre>
 */
public abstract class ElementwiseLoss implements Loss {
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  /** f(o, t). */
  protected abstract double value(float o, float t);

  /** df/do. */
  protected abstract double derivative(float o, float t);

  /** The loss's name in messages; the class name unless overridden. */
  protected String name() {
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
