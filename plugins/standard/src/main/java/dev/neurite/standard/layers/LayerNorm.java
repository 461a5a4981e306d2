package dev.neurite.standard.layers;

import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Layer normalization (Ba et al. 2016) over all of a sample's values, with a learned scale and shift per value, "
    + "as PyTorch's LayerNorm(sample shape); with last_axis, over each step's values of a sequence [time, dimension] "
    + "separately, with a scale and shift per dimension, as LayerNorm(dimension) in a Transformer")
public final class LayerNorm implements OnnxExportable, Layer {
  public record Params(
      @Doc("added to the variance") @Default("1e-5") @Min(value = 0, exclusive = true) double eps,
      @Doc("normalize over the last axis only: each step of a sequence on its own") @Default("false") boolean lastAxis) {}

  private final float eps;
  private final boolean lastAxis;
  /** Values normalized together: the whole sample, or its last axis. */
  private int width;
  private Param gamma;
  private Param beta;
  private Tensor output;
  private Tensor gradInput;
  private float[] xhat;
  private float[] invStd;

  @Inject
  public LayerNorm(Params params) {
    this.eps = (float) params.eps();
    this.lastAxis = params.lastAxis();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    Shape normalized = lastAxis ? Shape.of(input.dim(input.rank() - 1)) : input;
    width = normalized.size();
    gamma = ctx.param("weight", normalized, false);
    gamma.value().fill(1f);
    beta = ctx.param("bias", normalized, false);
    return input;
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return input.size();
  }

  /** With last_axis, step by step: a padding mask passes on to the next layer. */
  @Override
  public Masking masking() {
    return lastAxis ? Masking.KEEPS : Masking.REFUSES; // over the whole sample, padded steps would count
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int w = width;
    int n = x.size() / w; // rows normalized: samples, or samples x steps
    output = Tensor.reuse(output, x.shape());
    if (xhat == null || xhat.length < x.size()) { // grown only: batch sizes alternate
      xhat = new float[x.size()];
      invStd = new float[n];
    }
    if (invStd.length < n) invStd = new float[n];
    float[] in = x.data();
    float[] out = output.data();
    for (int r = 0; r < n; r++) {
      double sum = 0;
      for (int j = 0; j < w; j++) sum += in[r * w + j];
      float mean = (float) (sum / w);
      double sq = 0;
      for (int j = 0; j < w; j++) {
        double d = in[r * w + j] - mean;
        sq += d * d;
      }
      float inv = (float) (1 / Math.sqrt(sq / w + eps));
      invStd[r] = inv;
      for (int j = 0; j < w; j++) {
        xhat[r * w + j] = (in[r * w + j] - mean) * inv;
        out[r * w + j] = gamma.value().get(j) * xhat[r * w + j] + beta.value().get(j);
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gOut) {
    int w = width;
    int n = gOut.size() / w;
    gradInput = Tensor.reuse(gradInput, gOut.shape());
    float[] g = gOut.data();
    float[] gi = gradInput.data();
    float[] dGamma = gamma.grad().data();
    float[] dBeta = beta.grad().data();
    for (int r = 0; r < n; r++) {
      double sumD = 0;
      double sumDx = 0;
      for (int j = 0; j < w; j++) {
        int at = r * w + j;
        dGamma[j] += g[at] * xhat[at];
        dBeta[j] += g[at];
        double d = g[at] * gamma.value().get(j);
        sumD += d;
        sumDx += d * xhat[at];
      }
      for (int j = 0; j < w; j++) {
        int at = r * w + j;
        double d = g[at] * gamma.value().get(j);
        gi[at] = (float) (invStd[r] * (d - sumD / w - xhat[at] * sumDx / w));
      }
    }
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("LayerNormalization", List.of(inputs.get(0), graph.constant("gamma", gamma.value()), graph.constant("beta", beta.value())),
        Map.of("axis", lastAxis ? -1 : 1, "epsilon", eps));
  }
}
