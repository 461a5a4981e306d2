package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/** An elementwise activation y = f(x); subclasses give f and its derivative. */
abstract class Activation implements Layer {
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  /** f(x). */
  abstract float apply(float x);

  /** f'(x), given x and y = f(x) (whichever is cheaper to use). */
  abstract float derivative(float x, float y);

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    return input;
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
  void applyAll(float[] in, float[] out) {
    for (int i = 0; i < in.length; i++) out[i] = apply(in[i]);
  }

  /** {@code gi[i] = go[i] * f'(x[i], y[i])}; a subclass may loop directly (the same numbers). */
  void gradientAll(float[] x, float[] y, float[] go, float[] gi) {
    for (int i = 0; i < gi.length; i++) gi[i] = go[i] * derivative(x[i], y[i]);
  }
}
