package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))")
public final class XavierNormal implements Initializer {
  public record Params(@Doc("scale factor") @Default("1.0") @Min(value = 0, exclusive = true) double gain) {}

  private final double gain;
  private final RandomStream random;

  @Inject
  public XavierNormal(Params params, RandomStream random) {
    this.gain = params.gain();
    this.random = random;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    float[] w = tensor.data();
    double std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
    for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * std);
  }
}
