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

@Doc("Exponential linear unit: x for x > 0, alpha * (exp(x) - 1) otherwise (Clevert et al. 2015)")
public final class Elu extends Activation implements OnnxExportable {
  public record Params(@Doc("saturation value for large negative x") @Default("1.0") @Min(0) double alpha) {}

  private final double alpha;

  @Inject
  public Elu(Params params) {
    this.alpha = params.alpha();
  }

  @Override
  protected float apply(float x) {
    return x > 0f ? x : (float) (alpha * Math.expm1(x));
  }

  @Override
  protected float derivative(float x, float y) {
    return x > 0f ? 1f : (float) (y + alpha);
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Elu", inputs, Map.of("alpha", alpha));
  }
}
