package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("U(low, high)")
public final class Uniform implements Initializer {
  public record Params(@Doc("lower bound") @Default("-0.05") double low, @Doc("upper bound") @Default("0.05") double high) {
    public Params {
      if (!(low < high)) throw new IllegalArgumentException("low must be below high, got " + low + " and " + high);
    }
  }

  private final Params p;
  private final RandomStream random;

  @Inject
  public Uniform(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    float[] w = tensor.data();
    for (int i = 0; i < w.length; i++) w[i] = (float) (p.low() + (p.high() - p.low()) * random.nextDouble());
  }
}
