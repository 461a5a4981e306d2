package dev.neurite.standard.layers;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Activation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import jakarta.inject.Inject;

@Doc("Leaky ReLU: x for x > 0, negative_slope * x otherwise (PyTorch's LeakyReLU)")
public final class LeakyRelu extends Activation implements OnnxExportable {
  public record Params(@Doc("slope for x < 0") @Default("0.01") @Min(0) double negativeSlope) {}

  private final float slope;

  @Inject
  public LeakyRelu(Params params) {
    this.slope = (float) params.negativeSlope();
  }

  @Override
  protected float apply(float x) {
    return x > 0f ? x : slope * x;
  }

  @Override
  protected float derivative(float x, float y) {
    return x > 0f ? 1f : slope;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("LeakyRelu", inputs, Map.of("alpha", slope));
  }
}
