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
import java.util.Optional;

@Doc("Fully connected layer: y = x W^T + b, with W stored [units, inputs] as in PyTorch's nn.Linear; on a sequence "
    + "[time, features] (or any shape) it applies to the last axis, step by step, as nn.Linear does")
@Example(value = "units: 4", shape = 5)
public final class Dense implements OnnxExportable, Layer {
  public record Params(
      @Doc("output features") @Min(1) int units,
      @Doc("weight initializer") @Default("xavier_uniform") Initializer init,
      @Doc("add a learned bias (initialized to zero)") @Default("true") boolean bias,
      @Doc("activation applied to the output, fused (same numbers as the separate layer)") Optional<Layer> activation) {}

  private final Params params;
  private final FusedActivation activation;
  private Param weight;
  private Param bias;
  private int inputs;
  /** Rows per sample: 1 for a flat input, the steps of a sequence. */
  private int rowsPerSample;
  private Shape inputShape;
  private Shape outputShape;
  private boolean inputGradient;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;
  /** The gradient at the pre-activation output while {@link #backward} runs. */
  private Tensor gradient;
  private final Runnable weightGradientTask = this::weightGradient;
  private final Runnable inputGradientTask = this::inputGradient;

  @Inject
  public Dense(Params params) {
    this.params = params;
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
    if (input.rank() > 2) {
      throw new IllegalArgumentException("dense reads [features] or a sequence [time, features], got " + input
          + "; add a flatten layer before it");
    }
    inputs = input.dim(input.rank() - 1);
    rowsPerSample = input.size() / inputs;
    inputShape = input;
    inputGradient = ctx.inputGradientNeeded();
    weight = ctx.param("weight", Shape.of(params.units(), inputs), true);
    params.init().initialize(weight.value(), inputs, params.units());
    if (params.bias()) bias = ctx.param("bias", Shape.of(params.units()), false);
    outputShape = input.rank() == 1 ? Shape.of(params.units()) : Shape.of(input.dim(0), params.units());
    return activation.build(outputShape, ctx);
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return (long) rowsPerSample * inputs * params.units();
  }

  /** Step by step: a padding mask passes on to the next layer. */
  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows() * rowsPerSample;
    int units = params.units();
    input = x;
    output = Tensor.reuse(output, x.rows(), outputShape);
    Kernels.gemm(AS_IS, TRANSPOSED, n, units, inputs, 1f, x.data(), weight.value().data(), 0f, output.data());
    if (bias != null) Kernels.addRowVector(output.data(), n, units, bias.value().data());
    return activation.forward(output, pass);
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    gradient = activation.backward(gradOutput);
    if (!inputGradient) {
      weightGradient();
      gradient = null;
      return null;
    }
    int n = gradient.rows() * rowsPerSample;
    gradInput = Tensor.reuse(gradInput, gradient.rows(), inputShape);
    // the two products share no output: with two threads each runs whole on one of them
    if (Kernels.splitsGemm((long) n * params.units() * inputs)) Parallel.both(weightGradientTask, inputGradientTask);
    else {
      weightGradient();
      inputGradient();
    }
    gradient = null;
    return gradInput;
  }

  /** dW += g^T x and db += the column sums of g, for the gradient being propagated. */
  private void weightGradient() {
    int n = gradient.rows() * rowsPerSample;
    int units = params.units();
    Kernels.gemm(TRANSPOSED, AS_IS, units, inputs, n, 1f, gradient.data(), input.data(), 1f, weight.grad().data());
    if (bias != null) Kernels.sumRowsInto(gradient.data(), n, units, bias.grad().data());
  }

  /** dx = g W. */
  private void inputGradient() {
    Kernels.gemm(AS_IS, AS_IS, gradient.rows() * rowsPerSample, inputs, params.units(), 1f, gradient.data(), weight.value().data(), 0f, gradInput.data());
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    float[] w = weight.value().data(); // [units, in]; MatMul wants [in, units]
    int units = params.units();
    int in = this.inputs;
    float[] t = new float[w.length];
    for (int u = 0; u < units; u++) for (int i = 0; i < in; i++) t[i * units + u] = w[u * in + i];
    String y = graph.node("MatMul", inputs.get(0), graph.constant("weight", Tensor.wrap(t, in, units)));
    if (bias != null) y = graph.node("Add", y, graph.constant("bias", bias.value()));
    return activation.toOnnx(graph, y, outputShape);
  }
}
