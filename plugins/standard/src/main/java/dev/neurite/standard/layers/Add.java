package dev.neurite.standard.layers;

import java.util.Map;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.MultiInputLayer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

@Doc("Elementwise sum of its inputs, which must have one shape: the merge of a residual block "
    + "({type: add, inputs: [block_in, branch]})")
public final class Add implements OnnxExportable, MultiInputLayer {
  private Tensor output;
  /** What backwardAll returns: the output gradient once per input (the same list every call). */
  private List<Tensor> inputGradients;

  @Override
  public Shape build(List<Shape> inputs, BuildContext ctx) {
    if (inputs.size() < 2) throw new IllegalArgumentException("add needs at least two inputs; name them with inputs: [a, b]");
    for (Shape s : inputs) {
      if (!s.equals(inputs.get(0))) throw new IllegalArgumentException("add needs inputs of one shape, got " + inputs);
    }
    inputGradients = new ArrayList<>(Collections.nCopies(inputs.size(), null));
    return inputs.get(0);
  }

  /** Step by step: a padding mask passes on to the next layer. */
  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public Tensor forward(List<Tensor> inputs, Pass pass) {
    output = Tensor.reuse(output, inputs.get(0).shape());
    float[] out = output.data();
    System.arraycopy(inputs.get(0).data(), 0, out, 0, out.length);
    for (int k = 1; k < inputs.size(); k++) {
      float[] in = inputs.get(k).data();
      for (int i = 0; i < out.length; i++) out[i] += in[i];
    }
    return output;
  }

  /** The gradient of a sum reaches every input unchanged (the same tensor, which backward never modifies). */
  @Override
  public List<Tensor> backwardAll(Tensor gradOutput) {
    for (int k = 0; k < inputGradients.size(); k++) inputGradients.set(k, gradOutput);
    return inputGradients;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Sum", inputs, Map.of());
  }
}
