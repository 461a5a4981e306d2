package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * An elementwise activation y = f(x), a layer without params: a subclass gives f and its derivative,
 * and this class keeps the buffers (reused across batches) and runs the loops. The built-in relu,
 * tanh, sigmoid, gelu and the rest extend it.
 *
 * <pre>{@code
 * public final class Softsign extends Activation {
 *   protected float apply(float x) { return x / (1 + Math.abs(x)); }
 *   protected float derivative(float x, float y) { float d = 1 + Math.abs(x); return 1 / (d * d); }
 * }
 * }</pre>
 */
public abstract class Activation implements Layer {
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  /** f(x). */
  protected abstract float apply(float x);

  /** f'(x), given x and y = f(x) (whichever is cheaper to use). */
  protected abstract float derivative(float x, float y);

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    return input;
  }

  /** Elementwise: every step stays where it is, so a padding mask passes on. */
  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    input = x;
    output = Tensor.reuse(output, x.shape());
    applyAll(x.data(), output.data());
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.shape());
    float[] x = input.data();
    float[] y = output.data();
    gradientAll(x, y, g.data(), gradInput.data());
    return gradInput;
  }

  /** {@code out[i] = f(in[i])}; a subclass may loop directly (the same numbers) where that is faster. */
  protected void applyAll(float[] in, float[] out) {
    for (int i = 0; i < in.length; i++) out[i] = apply(in[i]);
  }

  /** {@code gi[i] = go[i] * f'(x[i], y[i])}; a subclass may loop directly (the same numbers). */
  protected void gradientAll(float[] x, float[] y, float[] go, float[] gi) {
    for (int i = 0; i < gi.length; i++) gi[i] = go[i] * derivative(x[i], y[i]);
  }
}
