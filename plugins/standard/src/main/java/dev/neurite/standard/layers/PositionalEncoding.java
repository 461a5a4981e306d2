package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Adds each step's position to a sequence [time, dimension]: sinusoidal, as in Vaswani et al. 2017 "
    + "(PE[t, 2i] = sin(t / 10000^(2i/dimension)), PE[t, 2i+1] = cos(...), nothing learned), or learned, a weight "
    + "[time, dimension] drawn from N(0, 0.02^2)")
@Example(value = "kind: learned", shape = {4, 6})
public final class PositionalEncoding implements Layer, OnnxExportable {
  public enum Kind { SINUSOIDAL, LEARNED }

  public record Params(@Doc("sinusoidal (fixed) or learned") @Default("sinusoidal") Kind kind) {}

  private final Params p;
  private final RandomStream random;
  private float[] table;
  private Param weight;
  private Shape shape;
  private Tensor output;

  @Inject
  public PositionalEncoding(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException("positional_encoding reads a sequence [time, dimension], got " + input);
    shape = input;
    int steps = input.dim(0);
    int d = input.dim(1);
    if (p.kind() == Kind.LEARNED) {
      weight = ctx.param("weight", input, false);
      float[] w = weight.value().data();
      for (int i = 0; i < w.length; i++) w[i] = (float) (0.02 * random.nextGaussian());
    } else {
      table = new float[steps * d];
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < d; j++) {
          double angle = t / Math.pow(10000, (double) (j - j % 2) / d);
          table[t * d + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
        }
      }
    }
    return input;
  }

  private float[] positions() {
    return weight != null ? weight.value().data() : table;
  }

  /** Step by step: a padding mask passes on to the next layer. */
  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    int size = shape.size();
    output = Tensor.reuse(output, n, shape);
    float[] in = x.data();
    float[] out = output.data();
    float[] pe = positions();
    for (int b = 0; b < n; b++) for (int i = 0; i < size; i++) out[b * size + i] = in[b * size + i] + pe[i];
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (weight != null) {
      int n = gradOutput.rows();
      int size = shape.size();
      float[] g = gradOutput.data();
      float[] dw = weight.grad().data();
      for (int b = 0; b < n; b++) for (int i = 0; i < size; i++) dw[i] += g[b * size + i];
    }
    return gradOutput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Add", inputs.get(0), graph.constant("positions", Tensor.wrap(positions().clone(), shape)));
  }
}
