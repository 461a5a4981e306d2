package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.RandomStream;
import jakarta.inject.Inject;

@Doc("LeCun normal (LeCun et al. 1998, for SELU/tanh): N(0, std^2) with std = gain * sqrt(1 / fan_in)")
public final class LecunNormal extends VarianceScaling {
  @Inject
  public LecunNormal(Params params, RandomStream random) {
    super(params, false, random);
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
