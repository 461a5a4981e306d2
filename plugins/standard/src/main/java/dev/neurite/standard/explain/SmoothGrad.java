package dev.neurite.standard.explain;

import com.google.inject.Inject;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;

@Doc("SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies of each input, Gaussian noise with a standard "
    + "deviation of noise times the sample's value range; signed. The noise comes from the method's own seeded stream")
@Example("samples: 4")
public final class SmoothGrad implements Explainer.Local {
  public record Params(
      @Doc("noisy copies per sample") @Default("50") @Min(1) int samples,
      @Doc("the noise's standard deviation as a fraction of each sample's max - min") @Default("0.15") @Min(0) double noise) {}

  private final Params p;
  private final RandomStream random;

  @Inject
  public SmoothGrad(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets) {
    int rows = inputs.rows();
    int per = inputs.rowSize();
    float[] x = inputs.data();
    double[] std = new double[rows];
    for (int s = 0; s < rows; s++) {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < per; i++) {
        lo = Math.min(lo, x[s * per + i]);
        hi = Math.max(hi, x[s * per + i]);
      }
      std[s] = p.noise() * (hi - lo);
    }
    double[] sum = new double[x.length];
    Tensor noisy = Tensor.zeros(inputs.shape());
    float[] at = noisy.data();
    for (int k = 0; k < p.samples(); k++) {
      for (int i = 0; i < x.length; i++) at[i] = (float) (x[i] + std[i / per] * random.nextGaussian());
      float[] g = model.gradient(noisy, targets).data();
      for (int i = 0; i < x.length; i++) sum[i] += g[i];
    }
    Tensor values = Tensor.zeros(inputs.shape());
    for (int i = 0; i < x.length; i++) values.data()[i] = (float) (sum[i] / p.samples());
    return new Attributions(values);
  }
}
