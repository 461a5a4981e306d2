package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.BatchViews;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Flattens each sample to a vector, e.g. [16, 4, 4] -> [256] (row-major, as torch.flatten(x, 1))")
public final class Flatten implements OnnxExportable, Layer {
  private Shape inputShape;
  private Shape outputShape;
  private final BatchViews outputs = new BatchViews();
  private final BatchViews gradients = new BatchViews();

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    inputShape = input;
    outputShape = Shape.of(input.size());
    return outputShape;
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
    return graph.node("Flatten", inputs, Map.of("axis", 1));
  }
}
