package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;

/**
 * Convolution as im2col + GEMM, one sample at a time. Threads split the samples
 * ({@code Parallel.forRanges}); the weight gradient, a sum over samples, is summed within fixed
 * groups of {@link #SAMPLE_GROUP} samples and the groups' sums are added in order, so the result is
 * the same for every thread count.
 */
@Doc("2-D convolution (cross-correlation, as PyTorch's Conv2d) of [channels, height, width] inputs with square "
    + "kernels; weight stored [filters, channels, k, k]. Computed as im2col + GEMM")
@Example(value = "filters: 3, kernel_size: 3, padding: 1", shape = {2, 5, 5})
public final class Conv2d implements OnnxExportable, Layer {
  public record Params(
      @Doc("output channels") @Min(1) int filters,
      @Doc("kernel height and width") @Min(1) int kernelSize,
      @Doc("step between windows") @Default("1") @Min(1) int stride,
      @Doc("zeros added on every side") @Default("0") @Min(0) int padding,
      @Doc("spacing between kernel taps") @Default("1") @Min(1) int dilation,
      @Doc("add a learned bias per filter (initialized to zero)") @Default("true") boolean bias,
      @Doc("weight initializer (fan_in = channels*k*k, fan_out = filters*k*k)") @Default("xavier_uniform") Initializer init,
      @Doc("activation applied to the output, fused (same numbers as the separate layer)") Optional<Layer> activation) {}

  private final Params p;
  private final FusedActivation activation;
  private Param weight;
  private Param bias;
  private int channels;
  private int height;
  private int width;
  private int outH;
  private int outW;
  private int patch; // channels * k * k
  private boolean inputGradient;
  private Tensor cols;    // [batch, patch, outH * outW], kept for backward
  private Tensor output;
  private Tensor gradInput;
  private float[] gradCols;      // per sample group: [groups, patch * outH * outW]
  private float[] groupGradients; // per sample group: [groups, patch * filters] (dW^T)
  private float[] sampleBiasSums; // per sample: [n, filters], each filter's gradient summed over positions
  private Shape inputShape;
  private Shape colsShape; // one sample's columns: [patch, outH * outW]
  private Shape outputShape;
  /** The batch being computed, for the range bodies below (kept in fields: no object per call). */
  private float[] batchInput;
  private float[] batchGradient;
  private int batchGradientRows;
  private final Parallel.RangeBody forwardSamples = this::forwardSamples;
  private final Parallel.RangeBody backwardGroups = this::backwardGroups;

  /** Samples whose weight gradients are summed together before the groups' sums are added in order. */
  static final int SAMPLE_GROUP = 16;

  @Inject
  public Conv2d(Params params) {
    this.p = params;
    this.activation = new FusedActivation(params.activation());
  }

  public FusedActivation activation() {
    return activation;
  }

  @Override
  public Outputs outputs() {
    return activation.outputs();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 3) throw new IllegalArgumentException("conv2d needs [channels, height, width] inputs; use reshape to add a channel axis");
    inputGradient = ctx.inputGradientNeeded();
    channels = input.dim(0);
    height = input.dim(1);
    width = input.dim(2);
    int span = p.dilation() * (p.kernelSize() - 1) + 1;
    outH = (height + 2 * p.padding() - span) / p.stride() + 1;
    outW = (width + 2 * p.padding() - span) / p.stride() + 1;
    if (height + 2 * p.padding() < span || width + 2 * p.padding() < span) {
      throw new IllegalArgumentException("a " + span + "x" + span + " window (kernel_size " + p.kernelSize() + ", dilation "
          + p.dilation() + ") does not fit a " + height + "x" + width + " input with padding " + p.padding());
    }
    int k2 = p.kernelSize() * p.kernelSize();
    patch = channels * k2;
    weight = ctx.param("weight", Shape.of(p.filters(), channels, p.kernelSize(), p.kernelSize()), true);
    p.init().initialize(weight.value(), patch, p.filters() * k2);
    if (p.bias()) bias = ctx.param("bias", Shape.of(p.filters()), false);
    inputShape = input;
    colsShape = Shape.of(patch, outH * outW);
    outputShape = Shape.of(p.filters(), outH, outW);
    return activation.build(outputShape, ctx);
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return (long) patch * p.filters() * outH * outW;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    cols = Tensor.reuse(cols, n, colsShape);
    output = Tensor.reuse(output, n, outputShape);
    batchInput = x.data();
    Parallel.forRanges(n, forwardSamples);
    batchInput = null;
    return activation.forward(output, pass);
  }

  private void forwardSamples(int from, int to) {
    for (int s = from; s < to; s++) forwardSample(batchInput, s, outH * outW);
  }

  private void forwardSample(float[] x, int s, int positions) {
    im2col(x, s * channels * height * width, cols.data(), s * patch * positions);
    int outOff = s * p.filters() * positions;
    Kernels.gemm(AS_IS, AS_IS, p.filters(), positions, patch, 1f, weight.value().data(), 0, cols.data(), s * patch * positions,
        0f, output.data(), outOff);
    if (bias != null) {
      float[] b = bias.value().data();
      float[] o = output.data();
      for (int f = 0; f < p.filters(); f++) {
        for (int q = 0; q < positions; q++) o[outOff + f * positions + q] += b[f];
      }
    }
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    Tensor g = activation.backward(gradOutput);
    int n = g.rows();
    int positions = outH * outW;
    int groups = (n + SAMPLE_GROUP - 1) / SAMPLE_GROUP;
    int weights = p.filters() * patch;
    if (groupGradients == null || groupGradients.length < groups * weights) {
      groupGradients = new float[groups * weights];
      gradCols = inputGradient ? new float[groups * patch * positions] : null;
    }
    if (bias != null && (sampleBiasSums == null || sampleBiasSums.length < n * p.filters())) sampleBiasSums = new float[n * p.filters()];
    if (inputGradient) gradInput = Tensor.reuse(gradInput, n, inputShape);
    float[] gd = g.data();
    batchGradient = gd;
    batchGradientRows = n;
    Parallel.forRanges(groups, backwardGroups);
    batchGradient = null;
    float[] dw = weight.grad().data();
    int filters = p.filters();
    for (int group = 0; group < groups; group++) { // each group's [patch, filters] slice, transposed
      int off = group * weights;
      for (int f = 0; f < filters; f++) {
        for (int w = 0; w < patch; w++) dw[f * patch + w] += groupGradients[off + w * filters + f];
      }
    }
    if (bias != null) { // each sample's sums came from its group's thread; added here in sample order
      float[] db = bias.grad().data();
      for (int s = 0; s < n; s++) {
        for (int f = 0; f < filters; f++) db[f] += sampleBiasSums[s * filters + f];
      }
    }
    return inputGradient ? gradInput : null;
  }

  private void backwardGroups(int from, int to) {
    for (int group = from; group < to; group++) backwardGroup(batchGradient, group, batchGradientRows, outH * outW);
  }

  /**
   * One group's weight gradient (into its own slice of groupGradients, as dW^T: [patch, filters]), its
   * samples' bias gradients (each filter's sum over positions) and its samples' input gradients. dW^T += cols g^T rather than dW += g cols^T: the GEMM then reads
   * the sample's columns in place and gathers only g's few filter rows (the other way it gathered
   * every column, a third of the CNN's step); each element is the same multiply-add sequence.
   */
  private void backwardGroup(float[] gd, int group, int n, int positions) {
    int weights = p.filters() * patch;
    int wOff = group * weights;
    Arrays.fill(groupGradients, wOff, wOff + weights, 0f);
    int colsOff = group * patch * positions;
    for (int s = group * SAMPLE_GROUP; s < Math.min(n, (group + 1) * SAMPLE_GROUP); s++) {
      int gOff = s * p.filters() * positions;
      Kernels.gemm(AS_IS, TRANSPOSED, patch, p.filters(), positions, 1f, cols.data(), s * patch * positions, gd, gOff, 1f, groupGradients, wOff);
      if (bias != null) {
        for (int f = 0; f < p.filters(); f++) sampleBiasSums[s * p.filters() + f] = Kernels.sum(gd, gOff + f * positions, positions);
      }
      if (!inputGradient) continue;
      Kernels.gemm(TRANSPOSED, AS_IS, patch, positions, p.filters(), 1f, weight.value().data(), 0, gd, gOff, 0f, gradCols, colsOff);
      int dxOff = s * channels * height * width;
      Arrays.fill(gradInput.data(), dxOff, dxOff + channels * height * width, 0f);
      col2im(gradCols, colsOff, gradInput.data(), dxOff);
    }
  }

  /** Unfolds one sample's windows: row (c, ki, kj), column (oh, ow). Taps in the padding are 0. */
  private void im2col(float[] x, int xOff, float[] out, int outOff) {
    int k = p.kernelSize();
    int positions = outH * outW;
    int stride = p.stride();
    int pad = p.padding();
    int dil = p.dilation();
    for (int c = 0; c < channels; c++) {
      for (int ki = 0; ki < k; ki++) {
        for (int kj = 0; kj < k; kj++) {
          int row = outOff + ((c * k + ki) * k + kj) * positions;
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * stride - pad + ki * dil;
            int to = row + oh * outW;
            if (ih < 0 || ih >= height) {
              Arrays.fill(out, to, to + outW, 0f);
              continue;
            }
            int from = xOff + (c * height + ih) * width - pad + kj * dil; // + ow * stride
            if (pad == 0 && stride == 1) {
              System.arraycopy(x, from, out, to, outW); // every tap inside: one contiguous row
              continue;
            }
            for (int ow = 0; ow < outW; ow++) {
              int iw = ow * stride - pad + kj * dil;
              out[to + ow] = iw >= 0 && iw < width ? x[from + ow * stride] : 0f;
            }
          }
        }
      }
    }
  }

  /** The adjoint of im2col: adds each window gradient back onto the input positions it came from. */
  private void col2im(float[] colsGrad, int colsOff, float[] dx, int dxOff) {
    int k = p.kernelSize();
    int positions = outH * outW;
    int stride = p.stride();
    int pad = p.padding();
    int dil = p.dilation();
    for (int c = 0; c < channels; c++) {
      for (int ki = 0; ki < k; ki++) {
        for (int kj = 0; kj < k; kj++) {
          int row = colsOff + ((c * k + ki) * k + kj) * positions;
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * stride - pad + ki * dil;
            if (ih < 0 || ih >= height) continue;
            int to = dxOff + (c * height + ih) * width - pad + kj * dil; // + ow * stride
            int from = row + oh * outW;
            if (pad == 0 && stride == 1) { // every tap inside, one contiguous row: a loop C2 vectorizes
              for (int ow = 0; ow < outW; ow++) dx[to + ow] += colsGrad[from + ow];
              continue;
            }
            if (pad == 0) { // every tap inside
              for (int ow = 0; ow < outW; ow++) dx[to + ow * stride] += colsGrad[from + ow];
              continue;
            }
            for (int ow = 0; ow < outW; ow++) {
              int iw = ow * stride - pad + kj * dil;
              if (iw >= 0 && iw < width) dx[to + ow * stride] += colsGrad[from + ow];
            }
          }
        }
      }
    }
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    List<String> in = new java.util.ArrayList<>(List.of(inputs.get(0), graph.constant("weight", weight.value())));
    if (bias != null) in.add(graph.constant("bias", bias.value()));
    int k = p.kernelSize();
    String y = graph.node("Conv", in, Map.of("kernel_shape", new long[] {k, k}, "strides", new long[] {p.stride(), p.stride()},
        "pads", new long[] {p.padding(), p.padding(), p.padding(), p.padding()}, "dilations", new long[] {p.dilation(), p.dilation()}));
    return activation.toOnnx(graph, y, null);
  }
}
