package dev.neurite.standard.losses;

import dev.neurite.spi.Doc;
import dev.neurite.spi.ElementwiseLoss;

@Doc("Mean absolute error over every element, as PyTorch's L1Loss (gradient 0 where output = target)")
public final class MeanAbsoluteError extends ElementwiseLoss {
  @Override
  protected String name() {
    return "mae";
  }

  @Override
  protected double value(float o, float t) {
    return Math.abs((double) o - t);
  }

  @Override
  protected double derivative(float o, float t) {
    return Math.signum((double) o - t);
  }
}
