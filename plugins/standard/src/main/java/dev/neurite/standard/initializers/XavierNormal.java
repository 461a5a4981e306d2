package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))")
public final class XavierNormal extends VarianceScaling {
  @Inject
  public XavierNormal(Params params, RandomStream random) {
    super(params, false, random);
  }

  @Override
  int fans(int fanIn, int fanOut) {
    return fanIn + fanOut;
  }
}
