package dev.neurite.standard.augment;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Example("std: 0.1")
@Doc("Adds noise drawn from N(0, std^2) to every feature of every training sample (any sample shape)")
public final class GaussianNoise implements Augmentation {
  public record Params(@Doc("standard deviation") @Min(value = 0, exclusive = true) double std) {}

  private final double std;
  private final RandomStream random;

  @Inject
  public GaussianNoise(Params params, RandomStream random) {
    this.std = params.std();
    this.random = random;
  }

  @Override
  public void apply(Tensor features) {
    float[] v = features.data();
    for (int i = 0; i < v.length; i++) v[i] += (float) (std * random.nextGaussian());
  }
}
