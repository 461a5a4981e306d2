package dev.neurite.standard.metrics;

import dev.neurite.spi.Metric;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Regression metrics from running sums over every output element (per output column for r2). */
abstract class Regression implements Metric, Stateful {
  double absSum;
  double sqSum;
  long count;
  double[] targetSum = new double[0];
  double[] targetSq = new double[0];
  double[] residualSq = new double[0];

  @Override
  public void reset() {
    absSum = 0;
    sqSum = 0;
    count = 0;
    targetSum = new double[0];
  }

  @Override
  public State state() {
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("abs_sum", absSum);
    numbers.put("sq_sum", sqSum);
    numbers.put("count", count);
    numbers.put("columns", (long) targetSum.length);
    for (int c = 0; c < targetSum.length; c++) {
      numbers.put("target_sum." + c, targetSum[c]);
      numbers.put("target_sq." + c, targetSq[c]);
      numbers.put("residual_sq." + c, residualSq[c]);
    }
    return new State(Map.of(), numbers);
  }

  @Override
  public void load(State state) {
    Map<String, Number> n = state.numbers();
    absSum = n.get("abs_sum").doubleValue();
    sqSum = n.get("sq_sum").doubleValue();
    count = n.get("count").longValue();
    int w = n.get("columns").intValue();
    targetSum = new double[w];
    targetSq = new double[w];
    residualSq = new double[w];
    for (int c = 0; c < w; c++) {
      targetSum[c] = n.get("target_sum." + c).doubleValue();
      targetSq[c] = n.get("target_sq." + c).doubleValue();
      residualSq[c] = n.get("residual_sq." + c).doubleValue();
    }
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int w = output.rowSize();
    if (target.rowSize() != w) {
      throw new IllegalArgumentException("regression metrics need targets shaped like the outputs, got " + target.rowSize() + " and " + w);
    }
    if (targetSum.length != w) {
      targetSum = new double[w];
      targetSq = new double[w];
      residualSq = new double[w];
    }
    for (int i = 0; i < output.size(); i++) {
      double d = (double) output.get(i) - target.get(i);
      absSum += Math.abs(d);
      sqSum += d * d;
      int col = i % w;
      targetSum[col] += target.get(i);
      targetSq[col] += (double) target.get(i) * target.get(i);
      residualSq[col] += d * d;
    }
    count += output.size();
  }
}
