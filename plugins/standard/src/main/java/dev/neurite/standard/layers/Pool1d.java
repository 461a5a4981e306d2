package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
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

/**
 * Pooling over time of a sequence [time, channels] (channels last): windows of {@code kernel} steps every
 * {@code stride}, with {@code padding} steps added at both ends. A kernel of 0 pools the whole sequence
 * into [channels] (global pooling). The max variant is {@code max_pool1d} / {@code global_max_pool1d},
 * the mean variant {@code avg_pool1d} / {@code global_avg_pool1d}.
 */
abstract class Pool1d implements Layer, OnnxExportable {
  private final boolean max;
  private final int kernelParam;
  private final int strideParam;
  private final int padding;
  private final boolean countPadding;
  private int steps;
  private int channels;
  private int kernel;
  private int stride;
  private int outSteps;
  private boolean global;
  private Shape inputShape;
  private Shape outputShape;
  private int[] argmax = new int[0];
  private Tensor output;
  private Tensor gradInput;
  /** The padding of the current batch's steps, or null: the global poolings leave padded steps out. */
  private StepMask mask;

  Pool1d(boolean max, int kernel, int stride, int padding, boolean countPadding) {
    this.max = max;
    this.kernelParam = kernel;
    this.strideParam = stride;
    this.padding = padding;
    this.countPadding = countPadding;
  }

  abstract String type();

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException(type() + " reads a sequence [time, channels], got " + input);
    steps = input.dim(0);
    channels = input.dim(1);
    global = kernelParam == 0;
    kernel = global ? steps : kernelParam;
    stride = global ? steps : strideParam == 0 ? kernel : strideParam;
    if (padding * 2 > kernel) throw new IllegalArgumentException(type() + ": padding " + padding + " is more than half the kernel " + kernel);
    if (steps + 2 * padding < kernel) {
      throw new IllegalArgumentException(type() + ": a window of " + kernel + " steps does not fit " + steps + " steps");
    }
    outSteps = (steps + 2 * padding - kernel) / stride + 1;
    inputShape = input;
    outputShape = global ? Shape.of(channels) : Shape.of(outSteps, channels);
    return outputShape;
  }

  /** The global poolings honour a padding mask; a windowed pooling would mix padded steps into real ones. */
  @Override
  public Masking masking() {
    return global ? Masking.ENDS : Masking.REFUSES;
  }

  @Override
  public void mask(StepMask mask) {
    this.mask = mask;
  }

  private boolean padded(int b, int s) {
    return mask != null && !mask.real(b, s);
  }

  /** How many steps of lo..hi a mean divides by: the real ones. */
  private int count(int b, int lo, int hi) {
    if (mask == null) return countPadding ? kernel : hi - lo;
    int c = 0;
    for (int s = lo; s < hi; s++) if (mask.real(b, s)) c++;
    return c;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    output = Tensor.reuse(output, n, outputShape);
    float[] in = x.data();
    float[] out = output.data();
    if (max && argmax.length < n * outSteps * channels) argmax = new int[n * outSteps * channels];
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < outSteps; t++) {
        int from = t * stride - padding;
        int lo = Math.max(0, from);
        int hi = Math.min(steps, from + kernel);
        for (int c = 0; c < channels; c++) {
          int o = (b * outSteps + t) * channels + c;
          if (max) {
            int best = -1; // -1: every step is padding, and the output is 0
            float value = 0f;
            for (int s = lo; s < hi; s++) {
              if (padded(b, s)) continue;
              float v = in[(b * steps + s) * channels + c];
              if (best < 0 || v > value) {
                value = v;
                best = s;
              }
            }
            out[o] = value;
            argmax[o] = best;
          } else {
            float sum = 0f;
            for (int s = lo; s < hi; s++) if (!padded(b, s)) sum += in[(b * steps + s) * channels + c];
            int count = count(b, lo, hi);
            out[o] = count == 0 ? 0f : sum / count;
          }
        }
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    gradInput = Tensor.reuse(gradInput, n, inputShape);
    float[] g = gradOutput.data();
    float[] dx = gradInput.data();
    Arrays.fill(dx, 0f);
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < outSteps; t++) {
        int from = t * stride - padding;
        int lo = Math.max(0, from);
        int hi = Math.min(steps, from + kernel);
        for (int c = 0; c < channels; c++) {
          int o = (b * outSteps + t) * channels + c;
          if (max) {
            if (argmax[o] >= 0) dx[(b * steps + argmax[o]) * channels + c] += g[o];
          } else {
            int count = count(b, lo, hi);
            if (count == 0) continue;
            float share = g[o] / count;
            for (int s = lo; s < hi; s++) if (!padded(b, s)) dx[(b * steps + s) * channels + c] += share;
          }
        }
      }
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    if (global) return graph.node(max ? "ReduceMax" : "ReduceMean", List.of(inputs.get(0)), Map.of("axes", new long[] {1}, "keepdims", 0));
    String x = graph.node("Transpose", List.of(inputs.get(0)), Map.of("perm", new long[] {0, 2, 1}));
    Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    attributes.put("kernel_shape", new long[] {kernel});
    attributes.put("strides", new long[] {stride});
    attributes.put("pads", new long[] {padding, padding});
    if (!max) attributes.put("count_include_pad", countPadding ? 1 : 0);
    String y = graph.node(max ? "MaxPool" : "AveragePool", List.of(x), attributes);
    return graph.node("Transpose", List.of(y), Map.of("perm", new long[] {0, 2, 1}));
  }
}
