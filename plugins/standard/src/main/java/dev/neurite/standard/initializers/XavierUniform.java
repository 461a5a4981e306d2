package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("Glorot/Xavier uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))")
public final class XavierUniform extends VarianceScaling {
  @Inject
  public XavierUniform(Params params, RandomStream random) {
    super(params, true, random);
  }

  @Override
  int fans(int fanIn, int fanOut) {
    return fanIn + fanOut;
  }
}
