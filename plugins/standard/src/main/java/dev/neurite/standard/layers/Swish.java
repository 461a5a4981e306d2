package dev.neurite.standard.layers;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;

@Doc("Swish / SiLU (Ramachandran et al. 2017): x * sigmoid(x) (PyTorch's SiLU)")
public final class Swish extends Activation implements OnnxExportable {
  @Override
  protected float apply(float x) {
    return (float) (x / (1 + Math.exp(-x)));
  }

  @Override
  protected float derivative(float x, float y) {
    double s = 1 / (1 + Math.exp(-x));
    return (float) (s + x * s * (1 - s));
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Mul", inputs.get(0), graph.node("Sigmoid", inputs.get(0)));
  }
}
