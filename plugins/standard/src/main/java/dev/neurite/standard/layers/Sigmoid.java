package dev.neurite.standard.layers;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;

@Doc("Logistic sigmoid: 1 / (1 + exp(-x))")
public final class Sigmoid extends Activation implements OnnxExportable {
  @Override
  protected float apply(float x) {
    if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
    double e = Math.exp(x); // no overflow for large negative x
    return (float) (e / (1.0 + e));
  }

  @Override
  protected float derivative(float x, float y) {
    return y * (1f - y);
  }

  @Override
  public Outputs outputs() {
    return Outputs.SIGMOID;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Sigmoid", inputs.get(0));
  }
}
