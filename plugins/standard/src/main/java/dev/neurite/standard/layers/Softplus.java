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

@Doc("Softplus: log(1 + exp(beta x)) / beta, linear above threshold (PyTorch's Softplus)")
public final class Softplus extends Activation implements OnnxExportable {
  public record Params(
      @Doc("sharpness") @Default("1.0") @Min(value = 0, exclusive = true) double beta,
      @Doc("beta * x above which the function is x") @Default("20") double threshold) {}

  private final double beta;
  private final double threshold;

  @Inject
  public Softplus(Params params) {
    this.beta = params.beta();
    this.threshold = params.threshold();
  }

  @Override
  protected float apply(float x) {
    double bx = beta * x;
    return bx > threshold ? x : (float) (Math.log1p(Math.exp(bx)) / beta);
  }

  @Override
  protected float derivative(float x, float y) {
    double bx = beta * x;
    return bx > threshold ? 1f : (float) (1 / (1 + Math.exp(-bx)));
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    // log(1 + exp(beta x)) / beta; above the threshold x itself (Where on beta x > threshold)
    String x = inputs.get(0);
    String bx = graph.node("Mul", x, graph.constant("beta", Tensor.wrap(new float[] {(float) beta}, 1)));
    String soft = graph.node("Div", graph.node("Softplus", bx), graph.constant("beta", Tensor.wrap(new float[] {(float) beta}, 1)));
    String above = graph.node("Greater", bx, graph.constant("threshold", Tensor.wrap(new float[] {(float) threshold}, 1)));
    return graph.node("Where", above, x, soft);
  }
}
