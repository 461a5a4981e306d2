package dev.neurite.standard.layers;

import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

@Doc("Batch normalization (Ioffe & Szegedy 2015), as PyTorch's BatchNorm1d for [features] and BatchNorm2d for "
    + "[channels, h, w]: batch statistics while training, running statistics at inference")
@Example(shape = {3, 2, 2})
public final class BatchNorm implements OnnxExportable, Layer, Stateful {
  public record Params(
      @Doc("weight of the newest batch in the running statistics") @Default("0.1") @Min(0) @Max(1) double momentum,
      @Doc("added to the variance") @Default("1e-5") @Min(value = 0, exclusive = true) double eps) {}

  private final float momentum;
  private final float eps;
  private Param gamma;
  private Param beta;
  private float[] runningMean;
  private float[] runningVar;
  private int channels;
  private int area; // values per channel per sample
  private Tensor output;
  private Tensor gradInput;
  private float[] xhat;
  private float[] invStd;
  private boolean trained;

  @Inject
  public BatchNorm(Params params) {
    this.momentum = (float) params.momentum();
    this.eps = (float) params.eps();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 1 && input.rank() != 3) {
      throw new IllegalArgumentException("batch_norm needs [features] or [channels, height, width] inputs");
    }
    channels = input.dim(0);
    area = input.size() / channels;
    gamma = ctx.param("weight", Shape.of(channels), false);
    gamma.value().fill(1f);
    beta = ctx.param("bias", Shape.of(channels), false);
    runningMean = new float[channels];
    runningVar = new float[channels];
    Arrays.fill(runningVar, 1f);
    invStd = new float[channels];
    return input;
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return input.size(); // one scale and shift per value (inference)
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    output = Tensor.reuse(output, x.shape());
    if (xhat == null || xhat.length < x.size()) xhat = new float[x.size()]; // grown only: batch sizes alternate
    trained = pass.training();
    float[] in = x.data();
    float[] out = output.data();
    int count = n * area;
    for (int c = 0; c < channels; c++) {
      float mean;
      float var;
      if (trained) {
        double sum = 0;
        for (int s = 0; s < n; s++) for (int i = 0; i < area; i++) sum += in[(s * channels + c) * area + i];
        mean = (float) (sum / count);
        double sq = 0;
        for (int s = 0; s < n; s++) {
          for (int i = 0; i < area; i++) {
            double d = in[(s * channels + c) * area + i] - mean;
            sq += d * d;
          }
        }
        var = (float) (sq / count);
        float unbiased = count > 1 ? (float) (sq / (count - 1)) : var;
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
      } else {
        mean = runningMean[c];
        var = runningVar[c];
      }
      float inv = (float) (1 / Math.sqrt(var + eps));
      invStd[c] = inv;
      float g = gamma.value().get(c);
      float b = beta.value().get(c);
      for (int s = 0; s < n; s++) {
        for (int i = 0; i < area; i++) {
          int at = (s * channels + c) * area + i;
          xhat[at] = (in[at] - mean) * inv;
          out[at] = g * xhat[at] + b;
        }
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gOut) {
    int n = gOut.rows();
    gradInput = Tensor.reuse(gradInput, gOut.shape());
    float[] g = gOut.data();
    float[] gi = gradInput.data();
    int count = n * area;
    for (int c = 0; c < channels; c++) {
      double sumG = 0;
      double sumGx = 0;
      for (int s = 0; s < n; s++) {
        for (int i = 0; i < area; i++) {
          int at = (s * channels + c) * area + i;
          sumG += g[at];
          sumGx += g[at] * xhat[at];
        }
      }
      gamma.grad().data()[c] += (float) sumGx;
      beta.grad().data()[c] += (float) sumG;
      float scale = gamma.value().get(c) * invStd[c];
      for (int s = 0; s < n; s++) {
        for (int i = 0; i < area; i++) {
          int at = (s * channels + c) * area + i;
          gi[at] = trained
              ? (float) (scale * (g[at] - sumG / count - xhat[at] * sumGx / count))
              : scale * g[at];
        }
      }
    }
    return gradInput;
  }

  /** The running statistics, {@code running_mean} and {@code running_var}. */
  @Override
  public State state() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("running_mean", Tensor.wrap(runningMean.clone(), channels));
    t.put("running_var", Tensor.wrap(runningVar.clone(), channels));
    return new State(t, Map.of());
  }

  @Override
  public void load(State state) {
    runningMean = state.tensors().get("running_mean").data().clone();
    runningVar = state.tensors().get("running_var").data().clone();
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    // inference: the running statistics; ONNX normalizes axis 1, the channels (or the features of a flat sample)
    String scale = graph.constant("gamma", gamma.value());
    String shift = graph.constant("beta", beta.value());
    String mean = graph.constant("running_mean", Tensor.wrap(runningMean.clone(), channels));
    String var = graph.constant("running_var", Tensor.wrap(runningVar.clone(), channels));
    return graph.node("BatchNormalization", List.of(inputs.get(0), scale, shift, mean, var), Map.of("epsilon", eps));
  }
}
