package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("He/Kaiming uniform for ReLU: U(-a, a) with a = gain * sqrt(6 / fan_in)")
public final class HeUniform implements Initializer {
  public record Params(@Doc("scale factor") @Default("1.0") @Min(value = 0, exclusive = true) double gain) {}

  private final double gain;
  private final RandomStream random;

  @Inject
  public HeUniform(Params params, RandomStream random) {
    this.gain = params.gain();
    this.random = random;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    float[] w = tensor.data();
    double a = gain * Math.sqrt(6.0 / fanIn);
    for (int i = 0; i < w.length; i++) w[i] = (float) ((2 * random.nextDouble() - 1) * a);
  }
}
