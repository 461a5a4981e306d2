package dev.neurite.standard.losses;

import dev.neurite.spi.Doc;

@Doc("Mean squared error over every output element, as PyTorch's MSELoss (reduction 'mean')")
public final class MeanSquaredError extends ElementwiseLoss {
  @Override
  String name() {
    return "mse";
  }

  @Override
  double value(float o, float t) {
    double d = (double) o - t;
    return d * d;
  }

  @Override
  double derivative(float o, float t) {
    return 2 * ((double) o - t);
  }
}
