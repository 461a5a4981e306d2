package com.acme.neurite;

import dev.neurite.spi.Doc;
import dev.neurite.spi.ElementwiseLoss;

@Doc("log-cosh regression loss: the mean of log(cosh(output - target)), quadratic near 0 and linear far from it")
public final class LogCosh extends ElementwiseLoss {
  private static final double LOG_2 = Math.log(2);

  @Override
  protected double value(float o, float t) {
    double d = Math.abs((double) o - t);
    return d + Math.log1p(Math.exp(-2 * d)) - LOG_2; // log(cosh(d)) without overflowing cosh
  }

  @Override
  protected double derivative(float o, float t) {
    return Math.tanh((double) o - t);
  }
}
