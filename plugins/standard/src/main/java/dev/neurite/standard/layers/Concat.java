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

@Doc("Joins its inputs along the first per-sample axis (features, or channels of images), as torch.cat(dim=1); "
    + "the other dimensions must agree")
public final class Concat implements OnnxExportable, MultiInputLayer {
  private int[] widths; // values per sample of each input
  private Shape[] inputShapes;
  private Shape outputShape;
  private Tensor output;
  private Tensor[] grads;
  /** What backwardAll returns: {@link #grads} as a list (the same list every call). */
  private List<Tensor> inputGradients;

  @Override
  public Shape build(List<Shape> inputs, BuildContext ctx) {
    if (inputs.size() < 2) throw new IllegalArgumentException("concat needs at least two inputs; name them with inputs: [a, b]");
    Shape first = inputs.get(0);
    int total = 0;
    widths = new int[inputs.size()];
    inputShapes = inputs.toArray(Shape[]::new);
    for (int k = 0; k < inputs.size(); k++) {
      Shape s = inputs.get(k);
      if (s.rank() != first.rank() || s.rank() == 0 || !s.dropFirst().equals(first.dropFirst())) {
        throw new IllegalArgumentException("concat needs inputs that differ only in their first dimension, got " + inputs);
      }
      total += s.dim(0);
      widths[k] = s.size();
    }
    int[] dims = first.dims();
    dims[0] = total;
    grads = new Tensor[inputs.size()];
    inputGradients = new ArrayList<>(Collections.nCopies(inputs.size(), null));
    outputShape = Shape.of(dims);
    return outputShape;
  }

  @Override
  public Tensor forward(List<Tensor> inputs, Pass pass) {
    int n = inputs.get(0).rows();
    int row = outputShape.size();
    output = Tensor.reuse(output, n, outputShape);
    float[] out = output.data();
    for (int r = 0; r < n; r++) {
      int at = r * row;
      for (int k = 0; k < widths.length; k++) {
        System.arraycopy(inputs.get(k).data(), r * widths[k], out, at, widths[k]);
        at += widths[k];
      }
    }
    return output;
  }

  @Override
  public List<Tensor> backwardAll(Tensor g) {
    int n = g.rows();
    int row = g.rowSize();
    int offset = 0;
    for (int k = 0; k < widths.length; k++) {
      grads[k] = Tensor.reuse(grads[k], n, inputShapes[k]);
      for (int r = 0; r < n; r++) System.arraycopy(g.data(), r * row + offset, grads[k].data(), r * widths[k], widths[k]);
      offset += widths[k];
      inputGradients.set(k, grads[k]);
    }
    return inputGradients;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Concat", inputs, Map.of("axis", 1));
  }
}
