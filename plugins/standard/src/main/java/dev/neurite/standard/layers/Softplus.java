package dev.neurite.standard.layers;

import dev.neurite.spi.Activation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import jakarta.inject.Inject;

@Doc("Softplus: log(1 + exp(beta x)) / beta, linear above threshold (PyTorch's Softplus)")
public final class Softplus extends Activation {
  public record Params(
      @Doc("sharpness") @Default("1.0") @Min(value = 0, exclusive = true) double beta,
      @Doc("beta * x above which the function is x") @Default("20") double threshold) {}

  private final double beta;
  private final double threshold;

  @Inject
  public Softplus(Params params) {
    this.beta = params.beta();
    this.threshold = params.threshold();
  }

  @Override
  protected float apply(float x) {
    double bx = beta * x;
    return bx > threshold ? x : (float) (Math.log1p(Math.exp(bx)) / beta);
  }

  @Override
  protected float derivative(float x, float y) {
    double bx = beta * x;
    return bx > threshold ? 1f : (float) (1 / (1 + Math.exp(-bx)));
  }
}
