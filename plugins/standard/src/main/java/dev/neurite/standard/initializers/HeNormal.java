package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("He/Kaiming normal for ReLU: N(0, std^2) with std = gain * sqrt(2 / fan_in)")
public final class HeNormal extends VarianceScaling {
  @Inject
  public HeNormal(Params params, RandomStream random) {
    super(params, false, random);
  }

  @Override
  int fans(int fanIn, int fanOut) {
    return fanIn;
  }
}
