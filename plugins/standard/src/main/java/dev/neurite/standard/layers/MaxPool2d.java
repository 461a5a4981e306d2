package dev.neurite.standard.layers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Doc("2-D max pooling over square windows (PyTorch's MaxPool2d); the gradient goes to the first maximum of each window")
@Example(value = "kernel_size: 2", shape = {2, 4, 5})
public final class MaxPool2d extends Pool2d implements OnnxExportable {
  public record Params(
      @Doc("window height and width") @Min(1) int kernelSize,
      @Doc("step between windows; 0 means kernel_size") @Default("0") @Min(0) int stride,
      @Doc("implicit -infinity added on every side") @Default("0") @Min(0) int padding) {}

  private int[] argmax;
  private Tensor output;
  private Tensor gradInput;
  /** The batch being pooled (forward) or its output gradient (backward), for the range bodies below. */
  private float[] batch;
  private final Parallel.RangeBody forwardPlanes = this::forwardPlanes;
  private final Parallel.RangeBody backwardPlanes = this::backwardPlanes;

  @Inject
  public MaxPool2d(Params params) {
    super(params.kernelSize(), params.stride(), params.padding());
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    output = Tensor.reuse(output, n, outputShape);
    if (argmax == null || argmax.length < output.size()) argmax = new int[output.size()]; // grown only: batch sizes alternate
    // planes split between threads: each output is written by one thread, the same way
    batch = x.data();
    Parallel.forRanges(n * channels, forwardPlanes);
    batch = null;
    return output;
  }

  private void forwardPlanes(int fromPlane, int toPlane) {
    float[] in = batch;
    float[] out = output.data();
    int o = fromPlane * outH * outW;
    boolean pairs = kernel == 2 && stride == 2 && padding == 0;
    for (int plane = fromPlane; plane < toPlane; plane++) {
      int base = plane * height * width;
      for (int oh = 0; oh < outH; oh++) {
        if (pairs) {
          Kernels.maxPool2x2(in, base + 2 * oh * width, width, out, argmax, o, outW);
          o += outW;
          continue;
        }
        for (int ow = 0; ow < outW; ow++, o++) {
          float best = Float.NEGATIVE_INFINITY;
          int at = -1;
          if (padding == 0) { // every tap inside: the first one starts the search (the same comparisons as below)
            int start = base + oh * stride * width + ow * stride;
            for (int ki = 0; ki < kernel; ki++) {
              for (int kj = 0, i = start + ki * width; kj < kernel; kj++, i++) {
                if (in[i] > best || at < 0) {
                  best = in[i];
                  at = i;
                }
              }
            }
            out[o] = best;
            argmax[o] = at;
            continue;
          }
          for (int ki = 0; ki < kernel; ki++) {
            int ih = oh * stride - padding + ki;
            if (ih < 0 || ih >= height) continue;
            for (int kj = 0; kj < kernel; kj++) {
              int iw = ow * stride - padding + kj;
              if (iw < 0 || iw >= width) continue;
              float v = in[base + ih * width + iw];
              if (v > best || at < 0) {
                best = v;
                at = base + ih * width + iw;
              }
            }
          }
          out[o] = best;
          argmax[o] = at;
        }
      }
    }
  }

  @Override
  public Tensor backward(Tensor g) {
    gradInput = Tensor.reuse(gradInput, g.rows(), inputShape);
    // a plane's outputs only reach its own inputs: planes split between threads, each zeroed and summed in order
    batch = g.data();
    Parallel.forRanges(g.rows() * channels, backwardPlanes);
    batch = null;
    return gradInput;
  }

  private void backwardPlanes(int fromPlane, int toPlane) {
    float[] gi = gradInput.data();
    float[] go = batch;
    int perPlane = outH * outW;
    Arrays.fill(gi, fromPlane * height * width, toPlane * height * width, 0f);
    for (int o = fromPlane * perPlane; o < toPlane * perPlane; o++) gi[argmax[o]] += go[o];
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("MaxPool", inputs, Map.of("kernel_shape", new long[] {kernel, kernel}, "strides", new long[] {stride, stride},
        "pads", new long[] {padding, padding, padding, padding}));
  }
}
