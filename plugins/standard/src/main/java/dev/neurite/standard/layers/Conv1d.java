package dev.neurite.standard.layers;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Min;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Doc("1-D convolution over time of a sequence [time, channels] (channels last, as the recurrent layers read it) into "
    + "[time', filters], with PyTorch's nn.Conv1d weight [filters, channels, kernel_size]: out[t] = b + sum over c, j of "
    + "w[f, c, j] x[t stride - padding + j dilation, c]. causal pads (kernel_size - 1) dilation steps on the left only, "
    + "so step t sees steps up to t (as WaveNet and TCNs). After a padding mask, with stride 1 and as many steps out as "
    + "in (causal, or padding (kernel_size - 1) dilation / 2), padded steps read as zeros and the mask passes on; other "
    + "shapes refuse a mask")
@Example(value = "filters: 3, kernel_size: 3, padding: 1", shape = {5, 2})
public final class Conv1d implements Layer, OnnxExportable {
  public record Params(
      @Doc("output channels") @Min(1) int filters,
      @Doc("taps of the kernel") @Min(1) int kernelSize,
      @Doc("steps between two outputs") @Default("1") @Min(1) int stride,
      @Doc("zero steps added at both ends (not with causal)") @Default("0") @Min(0) int padding,
      @Doc("steps between two taps") @Default("1") @Min(1) int dilation,
      @Doc("pad (kernel_size - 1) dilation steps on the left only: the output at t depends on no later step") @Default("false") boolean causal,
      @Doc("weight initializer (fan in: channels x kernel_size)") @Default("xavier_uniform") Initializer init,
      @Doc("add a learned bias (initialized to zero)") @Default("true") boolean bias) {
    public Params {
      if (causal && padding != 0) throw new IllegalArgumentException("causal sets its own padding; leave padding at 0");
    }
  }

  private final Params p;
  private Param weight;
  private Param bias;
  private int steps;
  private int channels;
  private int outSteps;
  private int left;
  private int width; // channels x kernel_size: a row of the unfolded input
  private Shape inputShape;
  private Shape outputShape;
  private boolean inputGradient;
  private float[] columns = new float[0];
  private float[] columnGrads = new float[0];
  private Tensor output;
  private Tensor gradInput;
  /** The padding of the current batch's steps, or null: padded steps read as zeros, as the conv's own padding does. */
  private StepMask mask;

  @Inject
  public Conv1d(Params params) {
    this.p = params;
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException("conv1d reads a sequence [time, channels], got " + input);
    steps = input.dim(0);
    channels = input.dim(1);
    left = p.causal() ? (p.kernelSize() - 1) * p.dilation() : p.padding();
    int right = p.causal() ? 0 : p.padding();
    int span = (p.kernelSize() - 1) * p.dilation() + 1;
    if (steps + left + right < span) {
      throw new IllegalArgumentException("conv1d: a kernel spanning " + span + " steps does not fit " + steps + " steps (padded "
          + (steps + left + right) + ")");
    }
    outSteps = (steps + left + right - span) / p.stride() + 1;
    width = channels * p.kernelSize();
    inputShape = input;
    outputShape = Shape.of(outSteps, p.filters());
    inputGradient = ctx.inputGradientNeeded();
    weight = ctx.param("weight", Shape.of(p.filters(), channels, p.kernelSize()), true);
    p.init().initialize(weight.value(), width, p.filters() * p.kernelSize());
    if (p.bias()) bias = ctx.param("bias", Shape.of(p.filters()), false);
    return outputShape;
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return (long) outSteps * p.filters() * width;
  }

  /**
   * With stride 1 and as many output steps as input steps (causal, or padding (kernel_size - 1) dilation / 2),
   * output step t belongs to input step t, and reading padded steps as zeros gives each real step what it gets
   * from the sequence unpadded: the mask passes on. Other shapes would mix padding into real steps.
   */
  @Override
  public Masking masking() {
    return p.stride() == 1 && outSteps == steps ? Masking.KEEPS : Masking.REFUSES;
  }

  @Override
  public void mask(StepMask mask) {
    this.mask = mask;
  }

  /** Whether step s of sample b is read: inside the sequence and not padding. */
  private boolean reads(int b, int s) {
    return s >= 0 && s < steps && (mask == null || mask.real(b, s));
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    int rows = n * outSteps;
    if (columns.length < rows * width) columns = new float[rows * width];
    float[] in = x.data();
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < outSteps; t++) {
        int row = (b * outSteps + t) * width;
        for (int j = 0; j < p.kernelSize(); j++) {
          int s = t * p.stride() - left + j * p.dilation();
          boolean inside = reads(b, s);
          for (int c = 0; c < channels; c++) columns[row + c * p.kernelSize() + j] = inside ? in[(b * steps + s) * channels + c] : 0f;
        }
      }
    }
    output = Tensor.reuse(output, n, outputShape);
    Kernels.gemm(AS_IS, TRANSPOSED, rows, p.filters(), width, 1f, columns, 0, weight.value().data(), 0, 0f, output.data(), 0);
    if (bias != null) Kernels.addRowVector(output.data(), rows, p.filters(), bias.value().data());
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    int rows = n * outSteps;
    float[] g = gradOutput.data();
    Kernels.gemm(TRANSPOSED, AS_IS, p.filters(), width, rows, 1f, g, 0, columns, 0, 1f, weight.grad().data(), 0);
    if (bias != null) Kernels.sumRowsInto(g, rows, p.filters(), bias.grad().data());
    if (!inputGradient) return null;
    if (columnGrads.length < rows * width) columnGrads = new float[rows * width];
    Kernels.gemm(AS_IS, AS_IS, rows, width, p.filters(), 1f, g, 0, weight.value().data(), 0, 0f, columnGrads, 0);
    gradInput = Tensor.reuse(gradInput, n, inputShape);
    float[] dx = gradInput.data();
    Arrays.fill(dx, 0f);
    for (int b = 0; b < n; b++) { // scatter back in a fixed order
      for (int t = 0; t < outSteps; t++) {
        int row = (b * outSteps + t) * width;
        for (int j = 0; j < p.kernelSize(); j++) {
          int s = t * p.stride() - left + j * p.dilation();
          if (!reads(b, s)) continue;
          for (int c = 0; c < channels; c++) dx[(b * steps + s) * channels + c] += columnGrads[row + c * p.kernelSize() + j];
        }
      }
    }
    return gradInput;
  }

  /** ONNX's Conv reads channels first: transposed in and out. */
  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = graph.node("Transpose", List.of(inputs.get(0)), Map.of("perm", new long[] {0, 2, 1}));
    List<String> operands = bias != null ? List.of(x, graph.constant("weight", weight.value()), graph.constant("bias", bias.value()))
        : List.of(x, graph.constant("weight", weight.value()));
    String y = graph.node("Conv", operands, Map.of("kernel_shape", new long[] {p.kernelSize()}, "strides", new long[] {p.stride()},
        "dilations", new long[] {p.dilation()}, "pads", new long[] {left, p.causal() ? 0 : p.padding()}));
    return graph.node("Transpose", List.of(y), Map.of("perm", new long[] {0, 2, 1}));
  }
}
