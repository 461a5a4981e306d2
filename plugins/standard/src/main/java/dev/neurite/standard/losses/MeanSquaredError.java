package dev.neurite.standard.losses;

import dev.neurite.spi.Doc;
import dev.neurite.spi.ElementwiseLoss;

@Doc("Mean squared error over every output element, as PyTorch's MSELoss (reduction 'mean')")
public final class MeanSquaredError extends ElementwiseLoss {
  @Override
  protected String name() {
    return "mse";
  }

  @Override
  protected double value(float o, float t) {
    double d = (double) o - t;
    return d * d;
  }

  @Override
  protected double derivative(float o, float t) {
    return 2 * ((double) o - t);
  }
}
