package ${package};

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Parametric ReLU (He et al. 2015): y = x where x > 0, else a x, with a learned slope a per channel "
    + "(the first axis of a sample: its features, or an image's channels), as PyTorch's nn.PReLU(channels)")
@Example(shape = {2, 3, 3})
public final class PRelu implements Layer {
  public record Params(
      @Doc("initializer of the slopes") @Default("{type: constant, value: 0.25}") Initializer init,
      @Doc("one slope shared by every channel, as nn.PReLU()") @Default("false") boolean shared) {}

  private final Params params;
  private Param alpha;
  private Shape sampleShape;
  /** Values of one channel in one sample: a sample's value i belongs to channel (i / channelSize). */
  private int channelSize;
  private boolean inputGradientNeeded;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  @Inject
  public PRelu(Params params) {
    this.params = params;
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    int channels = params.shared() ? 1 : input.dim(0);
    sampleShape = input;
    channelSize = input.size() / channels;
    // decays = false: weight decay would pull the slopes to 0, towards a plain ReLU
    alpha = ctx.param("alpha", Shape.of(channels), false);
    params.init().initialize(alpha.value(), 1, 1);
    // the first layer of a model needs no input gradient: backward then skips it
    inputGradientNeeded = ctx.inputGradientNeeded();
    return input;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    input = x;
    output = Tensor.reuse(output, x.rows(), sampleShape); // the same buffer every batch of this size
    float[] in = x.data();
    float[] out = output.data();
    float[] a = alpha.value().data();
    int sampleSize = sampleShape.size();
    for (int i = 0; i < in.length; i++) {
      float v = in[i];
      out[i] = v > 0 ? v : a[(i % sampleSize) / channelSize] * v;
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    float[] g = gradOutput.data();
    float[] in = input.data();
    float[] a = alpha.value().data();
    float[] gradAlpha = alpha.grad().data();
    int sampleSize = sampleShape.size();
    // d loss / d a_c = sum of g x over the non-positive inputs of channel c; gradients add up
    for (int i = 0; i < in.length; i++) {
      if (in[i] <= 0) gradAlpha[(i % sampleSize) / channelSize] += g[i] * in[i];
    }
    if (!inputGradientNeeded) return null;
    gradInput = Tensor.reuse(gradInput, gradOutput.rows(), sampleShape);
    float[] gi = gradInput.data();
    for (int i = 0; i < in.length; i++) {
      gi[i] = in[i] > 0 ? g[i] : a[(i % sampleSize) / channelSize] * g[i];
    }
    return gradInput;
  }
}
