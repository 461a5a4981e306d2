package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("2-D average pooling over square windows (PyTorch's AvgPool2d)")
@Example(value = "kernel_size: 2", shape = {2, 4, 5})
public final class AvgPool2d extends Pool2d implements OnnxExportable {
  public record Params(
      @Doc("window height and width") @Min(1) int kernelSize,
      @Doc("step between windows; 0 means kernel_size") @Default("0") @Min(0) int stride,
      @Doc("zeros added on every side") @Default("0") @Min(0) int padding,
      @Doc("count the padding zeros in the average") @Default("true") boolean countIncludePad) {}

  private final boolean countIncludePad;
  private float[] divisor;
  private Tensor output;
  private Tensor gradInput;

  @Inject
  public AvgPool2d(Params params) {
    super(params.kernelSize(), params.stride(), params.padding());
    this.countIncludePad = params.countIncludePad();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    Shape out = super.build(input, ctx);
    divisor = new float[outH * outW];
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++) {
        int h0 = oh * stride - padding;
        int w0 = ow * stride - padding;
        int h1 = Math.min(h0 + kernel, height + padding);
        int w1 = Math.min(w0 + kernel, width + padding);
        int padded = (h1 - h0) * (w1 - w0);
        int valid = (Math.min(h1, height) - Math.max(h0, 0)) * (Math.min(w1, width) - Math.max(w0, 0));
        divisor[oh * outW + ow] = countIncludePad ? padded : valid;
      }
    }
    return out;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    output = Tensor.reuse(output, n, outputShape);
    float[] in = x.data();
    float[] out = output.data();
    int o = 0;
    for (int plane = 0; plane < n * channels; plane++) {
      int base = plane * height * width;
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++, o++) {
          float sum = 0f;
          for (int ki = 0; ki < kernel; ki++) {
            int ih = oh * stride - padding + ki;
            if (ih < 0 || ih >= height) continue;
            for (int kj = 0; kj < kernel; kj++) {
              int iw = ow * stride - padding + kj;
              if (iw >= 0 && iw < width) sum += in[base + ih * width + iw];
            }
          }
          out[o] = sum / divisor[oh * outW + ow];
        }
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.rows(), inputShape);
    gradInput.fill(0f);
    float[] gi = gradInput.data();
    float[] go = g.data();
    int o = 0;
    for (int plane = 0; plane < g.rows() * channels; plane++) {
      int base = plane * height * width;
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++, o++) {
          float share = go[o] / divisor[oh * outW + ow];
          for (int ki = 0; ki < kernel; ki++) {
            int ih = oh * stride - padding + ki;
            if (ih < 0 || ih >= height) continue;
            for (int kj = 0; kj < kernel; kj++) {
              int iw = ow * stride - padding + kj;
              if (iw >= 0 && iw < width) gi[base + ih * width + iw] += share;
            }
          }
        }
      }
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("AveragePool", inputs, Map.of("kernel_shape", new long[] {kernel, kernel}, "strides", new long[] {stride, stride},
        "pads", new long[] {padding, padding, padding, padding}, "count_include_pad", countIncludePad ? 1 : 0));
  }
}
