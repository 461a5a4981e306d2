package dev.neurite.standard.layers;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;

@Doc("Hyperbolic tangent")
public final class Tanh extends Activation implements OnnxExportable {
  @Override
  protected float apply(float x) {
    return (float) Math.tanh(x);
  }

  @Override
  protected float derivative(float x, float y) {
    return 1f - y * y;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Tanh", inputs.get(0));
  }
}
