package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("N(mean, std^2) restricted to mean +- 2 std (values beyond are drawn again), as Keras's TruncatedNormal")
public final class TruncatedNormal implements Initializer {
  private final Normal normal;

  @Inject
  public TruncatedNormal(Normal.Params params, RandomStream random) {
    this.normal = new Normal(params, random, true);
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    normal.initialize(tensor, fanIn, fanOut);
  }
}
