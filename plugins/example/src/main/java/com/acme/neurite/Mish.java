package com.acme.neurite;

import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.tensor.Shape;
import java.util.List;

@Doc("Mish activation (Misra 2019): x * tanh(softplus(x))")
public final class Mish extends Activation implements OnnxExportable {
  static double softplus(double x) {
    return x > 20 ? x : Math.log1p(Math.exp(x));
  }

  @Override
  protected float apply(float x) {
    return (float) (x * Math.tanh(softplus(x)));
  }

  @Override
  protected float derivative(float x, float y) {
    return (float) exactDerivative(x);
  }

  /** The chain rule in double, rounded once (the default multiplies by the float derivative). */
  @Override
  protected void gradientAll(float[] x, float[] y, float[] go, float[] gi) {
    for (int i = 0; i < gi.length; i++) gi[i] = (float) (go[i] * exactDerivative(x[i]));
  }

  private static double exactDerivative(double x) {
    double t = Math.tanh(softplus(x));
    double sigmoid = 1 / (1 + Math.exp(-x));
    return t + x * (1 - t * t) * sigmoid;
  }

  /** In ./neurite export: x * tanh(softplus(x)) as three ONNX nodes. */
  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = inputs.get(0);
    return graph.node("Mul", x, graph.node("Tanh", graph.node("Softplus", x)));
  }
}
