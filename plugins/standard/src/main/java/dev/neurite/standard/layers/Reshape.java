package dev.neurite.standard.layers;

import java.util.Map;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.BatchViews;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Gives each sample a new shape with the same number of values, e.g. [64] -> [1, 8, 8]; one dimension may be -1 (inferred)")
@Example(value = "shape: [2, -1]", shape = 6)
public final class Reshape implements OnnxExportable, Layer {
  public record Params(@Doc("the per-sample shape") List<Integer> shape) {
    public Params {
      if (shape.isEmpty()) throw new IllegalArgumentException("shape needs at least one dimension");
      if (shape.stream().filter(d -> d == -1).count() > 1) throw new IllegalArgumentException("only one dimension may be -1");
      if (shape.stream().anyMatch(d -> d == 0 || d < -1)) throw new IllegalArgumentException("dimensions must be positive or -1, got " + shape);
    }
  }

  private final List<Integer> wanted;
  private Shape inputShape;
  private Shape outputShape;
  private final BatchViews outputs = new BatchViews();
  private final BatchViews gradients = new BatchViews();

  @Inject
  public Reshape(Params params) {
    this.wanted = params.shape();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    int known = 1;
    for (int d : wanted) if (d != -1) known *= d;
    int[] dims = wanted.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        if (input.size() % known != 0) throw new IllegalArgumentException("cannot reshape " + input.size() + " values to " + wanted);
        dims[i] = input.size() / known;
      }
    }
    Shape out = Shape.of(dims);
    if (out.size() != input.size()) {
      throw new IllegalArgumentException("reshape to " + out + " needs " + out.size() + " values per sample, the input has " + input.size());
    }
    inputShape = input;
    outputShape = out;
    return out;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    return outputs.of(x, outputShape);
  }

  @Override
  public Tensor backward(Tensor g) {
    return gradients.of(g, inputShape);
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    long[] shape = new long[outputShape.rank() + 1]; // 0: the batch dimension, copied
    for (int i = 0; i < outputShape.rank(); i++) shape[i + 1] = outputShape.dim(i);
    return graph.node("Reshape", List.of(inputs.get(0), graph.ints("shape", shape)), Map.of());
  }
}
