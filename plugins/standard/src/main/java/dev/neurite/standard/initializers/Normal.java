package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("N(mean, std^2); truncated_normal redraws values more than two standard deviations from the mean")
public final class Normal implements Initializer {
  public record Params(@Doc("mean") @Default("0") double mean, @Doc("standard deviation") @Default("0.05") @Min(0) double std) {}

  private final Params p;
  private final RandomStream random;
  private final boolean truncated;

  @Inject
  public Normal(Params params, RandomStream random) {
    this(params, random, false);
  }

  Normal(Params params, RandomStream random, boolean truncated) {
    this.p = params;
    this.random = random;
    this.truncated = truncated;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    float[] w = tensor.data();
    for (int i = 0; i < w.length; i++) {
      double z = random.nextGaussian();
      while (truncated && Math.abs(z) > 2) z = random.nextGaussian();
      w[i] = (float) (p.mean() + p.std() * z);
    }
  }
}
