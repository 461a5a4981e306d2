package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.tensor.Tensor;

@Doc("The training objective's mean over the split's samples")
public final class MeanLoss implements Metric {
  private double sum;
  private long count;

  @Override
  public void reset() {
    sum = 0;
    count = 0;
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    sum += batchLoss * output.rows();
    count += output.rows();
  }

  @Override
  public double value() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
