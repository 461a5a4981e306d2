package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Inverted dropout: while training, zeroes each value with probability rate and scales the rest by "
    + "1/(1-rate); the identity at inference")
@Example(value = "rate: 0.3", shape = 10)
public final class Dropout implements OnnxExportable, Layer {
  public record Params(@Doc("probability of dropping a value") @Min(0) @Max(value = 1, exclusive = true) double rate) {}

  private final float rate;
  private final RandomStream random;
  private Tensor mask;
  private Tensor output;
  private Tensor gradInput;
  private boolean masked;

  @Inject
  public Dropout(Params params, RandomStream random) {
    this.rate = (float) params.rate();
    this.random = random;
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    return input;
  }

  /** Step by step: a padding mask passes on to the next layer. */
  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    masked = pass.training() && rate > 0f;
    if (!masked) return x;
    mask = Tensor.reuse(mask, x.shape());
    output = Tensor.reuse(output, x.shape());
    float keep = 1f / (1f - rate);
    float[] m = mask.data();
    float[] in = x.data();
    float[] out = output.data();
    for (int i = 0; i < m.length; i++) {
      m[i] = random.nextFloat() < rate ? 0f : keep;
      out[i] = in[i] * m[i];
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    if (!masked) return g;
    gradInput = Tensor.reuse(gradInput, g.shape());
    float[] m = mask.data();
    float[] go = g.data();
    float[] gi = gradInput.data();
    for (int i = 0; i < gi.length; i++) gi[i] = go[i] * m[i];
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Identity", inputs.get(0)); // inference mode
  }
}
