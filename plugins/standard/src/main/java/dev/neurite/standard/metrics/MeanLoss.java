package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import java.util.Map;

@Doc("The training objective's mean over the split's samples")
public final class MeanLoss implements Metric, Stateful {
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
  public State state() {
    return new State(Map.of(), Map.of("sum", sum, "count", count));
  }

  @Override
  public void load(State state) {
    sum = state.numbers().get("sum").doubleValue();
    count = state.numbers().get("count").longValue();
  }

  @Override
  public double value() {
    return count == 0 ? Double.NaN : sum / count;
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }
}
