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
import jakarta.inject.Inject;

@Doc("Gaussian error linear unit (Hendrycks & Gimpel 2016): x * Phi(x), exactly with erf, "
    + "or with the tanh approximation (PyTorch's GELU and its approximate='tanh')")
public final class Gelu extends Activation implements OnnxExportable {
  public enum Approximate { NONE, TANH }

  public record Params(@Doc("none (erf) or tanh") @Default("none") Approximate approximate) {}

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  private final boolean tanh;

  @Inject
  public Gelu(Params params) {
    this.tanh = params.approximate() == Approximate.TANH;
  }

  @Override
  protected float apply(float x) {
    if (tanh) return (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
    return (float) (0.5 * x * (1 + Erf.erf(x * INV_SQRT_2)));
  }

  @Override
  protected float derivative(float x, float y) {
    if (tanh) {
      double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      double t = Math.tanh(inner);
      return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x));
    }
    return (float) (0.5 * (1 + Erf.erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = inputs.get(0);
    String half = graph.constant("half", Tensor.wrap(new float[] {0.5f}, 1));
    String one = graph.constant("one", Tensor.wrap(new float[] {1f}, 1));
    String inner;
    if (tanh) { // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      String cube = graph.node("Mul", x, graph.node("Mul", x, x));
      String sum = graph.node("Add", x, graph.node("Mul", cube, graph.constant("c", Tensor.wrap(new float[] {0.044715f}, 1))));
      inner = graph.node("Tanh", graph.node("Mul", sum, graph.constant("sqrt_2_over_pi", Tensor.wrap(new float[] {(float) SQRT_2_OVER_PI}, 1))));
    } else { // 0.5 x (1 + erf(x / sqrt 2))
      inner = graph.node("Erf", graph.node("Mul", x, graph.constant("inv_sqrt_2", Tensor.wrap(new float[] {(float) INV_SQRT_2}, 1))));
    }
    return graph.node("Mul", graph.node("Mul", x, half), graph.node("Add", one, inner));
  }
}
