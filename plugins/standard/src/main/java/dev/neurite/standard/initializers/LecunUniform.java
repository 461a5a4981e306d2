package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("LeCun uniform (LeCun et al. 1998, for SELU/tanh): U(-a, a) with a = gain * sqrt(3 / fan_in)")
public final class LecunUniform extends VarianceScaling {
  @Inject
  public LecunUniform(Params params, RandomStream random) {
    super(params, true, random);
  }

  @Override
  int fans(int fanIn, int fanOut) {
    return fanIn;
  }

  @Override
  double scale() {
    return 1.0;
  }
}
