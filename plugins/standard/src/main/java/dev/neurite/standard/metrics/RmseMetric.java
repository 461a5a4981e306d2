package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("Root mean squared error over every output element")
public final class RmseMetric extends Regression {
  @Override
  public double value() {
    return count == 0 ? Double.NaN : Math.sqrt(sqSum / count);
  }


  @Override
  public boolean higherIsBetter() {
    return false;
  }
}
