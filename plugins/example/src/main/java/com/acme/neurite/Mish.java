package com.acme.neurite;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Mish activation (Misra 2019): x * tanh(softplus(x))")
public final class Mish implements Layer {
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    return input;
  }

  static double softplus(double x) {
    return x > 20 ? x : Math.log1p(Math.exp(x));
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    input = x;
    output = Tensor.reuse(output, x.shape());
    for (int i = 0; i < x.size(); i++) {
      double v = x.get(i);
      output.set(i, (float) (v * Math.tanh(softplus(v))));
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.shape());
    for (int i = 0; i < g.size(); i++) {
      double x = input.get(i);
      double t = Math.tanh(softplus(x));
      double sigmoid = 1 / (1 + Math.exp(-x));
      gradInput.set(i, (float) (g.get(i) * (t + x * (1 - t * t) * sigmoid)));
    }
    return gradInput;
  }
}
