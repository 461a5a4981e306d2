package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("Mean absolute error over every output element")
public final class MaeMetric extends Regression {
  @Override
  public double value() {
    return count == 0 ? Double.NaN : absSum / count;
  }


  @Override
  public boolean higherIsBetter() {
    return false;
  }
}
