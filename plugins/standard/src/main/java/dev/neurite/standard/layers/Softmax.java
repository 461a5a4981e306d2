package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

@Doc("Softmax over the features: exp(x_i) / sum_j exp(x_j), computed stably. "
    + "Not needed before softmax_cross_entropy, which applies its own")
public final class Softmax implements OnnxExportable, Layer {
  private Tensor output;
  private Tensor gradInput;

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 1) throw new IllegalArgumentException("softmax needs a flat input [features]; add a flatten layer before it");
    return input;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    output = Tensor.reuse(output, x.shape());
    int n = x.rows();
    int c = x.rowSize();
    float[] in = x.data();
    float[] out = output.data();
    for (int r = 0; r < n; r++) {
      int o = r * c;
      float max = Kernels.max(in, o, c);
      double sum = 0;
      for (int j = 0; j < c; j++) {
        float e = (float) Math.exp(in[o + j] - max);
        out[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < c; j++) out[o + j] *= inv;
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.shape());
    int n = g.rows();
    int c = g.rowSize();
    float[] y = output.data();
    float[] go = g.data();
    float[] gi = gradInput.data();
    for (int r = 0; r < n; r++) {
      int o = r * c;
      double dot = 0;
      for (int j = 0; j < c; j++) dot += (double) go[o + j] * y[o + j];
      for (int j = 0; j < c; j++) gi[o + j] = (float) (y[o + j] * (go[o + j] - dot));
    }
    return gradInput;
  }

  @Override
  public Outputs outputs() {
    return Outputs.SOFTMAX;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Softmax", inputs, Map.of("axis", -1));
  }
}
