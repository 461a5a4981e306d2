package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("He/Kaiming uniform for ReLU: U(-a, a) with a = gain * sqrt(6 / fan_in)")
public final class HeUniform extends VarianceScaling {
  @Inject
  public HeUniform(Params params, RandomStream random) {
    super(params, true, random);
  }

  @Override
  int fans(int fanIn, int fanOut) {
    return fanIn;
  }
}
