package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Min;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Adds N(0, stddev^2) noise while training (a regularizer, as Keras's GaussianNoise); the identity at inference")
@Example("stddev: 0.1")
public final class GaussianNoise implements OnnxExportable, Layer {
  public record Params(@Doc("standard deviation of the noise") @Min(0) double stddev) {}

  private final double stddev;
  private final RandomStream random;
  private Tensor output;

  @Inject
  public GaussianNoise(Params params, RandomStream random) {
    this.stddev = params.stddev();
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
    if (!pass.training() || stddev == 0) return x;
    output = Tensor.reuse(output, x.shape());
    float[] in = x.data();
    float[] out = output.data();
    for (int i = 0; i < in.length; i++) out[i] = in[i] + (float) (random.nextGaussian() * stddev);
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    return g;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Identity", inputs.get(0)); // inference mode
  }
}
