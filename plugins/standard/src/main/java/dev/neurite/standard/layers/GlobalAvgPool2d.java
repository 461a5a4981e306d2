package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Averages each channel over its height and width: [channels, h, w] -> [channels]")
@Example(shape = {3, 4, 5})
public final class GlobalAvgPool2d implements OnnxExportable, Layer {
  private int channels;
  private int area;
  private Shape inputShape;
  private Shape outputShape;
  private Tensor output;
  private Tensor gradInput;

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 3) throw new IllegalArgumentException("global_avg_pool2d needs [channels, height, width] inputs");
    inputShape = input;
    channels = input.dim(0);
    area = input.dim(1) * input.dim(2);
    outputShape = Shape.of(channels);
    return outputShape;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    output = Tensor.reuse(output, x.rows(), outputShape);
    float[] in = x.data();
    float[] out = output.data();
    for (int plane = 0; plane < out.length; plane++) {
      double sum = 0;
      for (int i = 0; i < area; i++) sum += in[plane * area + i];
      out[plane] = (float) (sum / area);
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.rows(), inputShape);
    float[] gi = gradInput.data();
    float[] go = g.data();
    for (int plane = 0; plane < go.length; plane++) {
      float share = go[plane] / area;
      for (int i = 0; i < area; i++) gi[plane * area + i] = share;
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Flatten", List.of(graph.node("GlobalAveragePool", inputs.get(0))), Map.of("axis", 1));
  }
}
