package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;

/**
 * The Xavier/He family: values with variance {@code gain^2 * 2 / fans}, where {@code fans} is
 * fan_in + fan_out (Glorot & Bengio 2010) or fan_in (He et al. 2015); drawn from N(0, std^2), or
 * from U(-a, a) with a = gain * sqrt(6 / fans).
 */
public abstract class VarianceScaling implements Initializer {
  public record Params(@Doc("scale factor") @Default("1.0") @Min(value = 0, exclusive = true) double gain) {}

  private final double gain;
  private final boolean uniform;
  private final RandomStream random;

  VarianceScaling(Params params, boolean uniform, RandomStream random) {
    this.gain = params.gain();
    this.uniform = uniform;
    this.random = random;
  }

  /** fan_in + fan_out for Xavier, fan_in for He. */
  abstract int fans(int fanIn, int fanOut);

  /** The variance numerator: 2 for Xavier and He, 1 for LeCun. */
  double scale() {
    return 2.0;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    float[] w = tensor.data();
    int fans = fans(fanIn, fanOut);
    if (uniform) {
      double a = gain * Math.sqrt(3 * scale() / fans);
      for (int i = 0; i < w.length; i++) w[i] = (float) ((2 * random.nextDouble() - 1) * a);
    } else {
      double std = gain * Math.sqrt(scale() / fans);
      for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * std);
    }
  }
}
