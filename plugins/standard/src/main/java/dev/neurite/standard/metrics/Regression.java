package dev.neurite.standard.metrics;

import dev.neurite.spi.Metric;
import dev.neurite.tensor.Tensor;

/** Regression metrics from running sums over every output element (per output column for r2). */
abstract class Regression implements Metric {
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
