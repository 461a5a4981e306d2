package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Pass;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Doc("The last step of a sequence: [time, features] to [features], as x[:, -1] in PyTorch; with a padding mask, each "
    + "sequence's last real step (zeros for a sequence of padding only)")
@Example(shape = {5, 3})
public final class Last implements Layer, OnnxExportable {
  private int steps;
  private int features;
  private Shape inputShape;
  private Shape outputShape;
  private StepMask mask;
  /** Per sample of the last forward pass: the step it took, or -1. */
  private int[] taken = new int[0];
  private Tensor output;
  private Tensor gradInput;

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException("last reads a sequence [time, features], got " + input);
    steps = input.dim(0);
    features = input.dim(1);
    inputShape = input;
    outputShape = Shape.of(features);
    return outputShape;
  }

  @Override
  public Masking masking() {
    return Masking.ENDS;
  }

  @Override
  public void mask(StepMask mask) {
    this.mask = mask;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    if (taken.length < n) taken = new int[n];
    output = Tensor.reuse(output, n, outputShape);
    float[] out = output.data();
    for (int b = 0; b < n; b++) {
      int t = mask == null ? steps - 1 : mask.lastReal(b);
      taken[b] = t;
      if (t < 0) Arrays.fill(out, b * features, (b + 1) * features, 0f);
      else System.arraycopy(x.data(), (b * steps + t) * features, out, b * features, features);
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    gradInput = Tensor.reuse(gradInput, n, inputShape);
    float[] dx = gradInput.data();
    Arrays.fill(dx, 0f);
    for (int b = 0; b < n; b++) {
      if (taken[b] >= 0) System.arraycopy(gradOutput.data(), b * features, dx, (b * steps + taken[b]) * features, features);
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String step = graph.node("Gather", List.of(inputs.get(0), graph.ints("last", steps - 1)), Map.of("axis", 1)); // [batch, 1, features]
    return graph.node("Reshape", step, graph.ints("shape", 0, -1));
  }
}
