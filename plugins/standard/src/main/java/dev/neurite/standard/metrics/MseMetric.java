package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("Mean squared error over every output element")
public final class MseMetric extends Regression {
  @Override
  public double value() {
    return count == 0 ? Double.NaN : sqSum / count;
  }


  @Override
  public boolean higherIsBetter() {
    return false;
  }
}
