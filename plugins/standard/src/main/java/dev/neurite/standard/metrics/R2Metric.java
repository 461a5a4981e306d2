package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("Coefficient of determination 1 - SS_res / SS_tot, averaged over outputs (scikit-learn's r2_score)")
public final class R2Metric extends Regression {
  @Override
  public double value() {
    return r2();
  }

  private double r2() {
    int w = targetSum.length;
    if (w == 0) return Double.NaN;
    double rows = (double) count / w;
    double sum = 0;
    for (int c = 0; c < w; c++) {
      double total = targetSq[c] - targetSum[c] * targetSum[c] / rows;
      sum += total == 0 ? (residualSq[c] == 0 ? 1 : 0) : 1 - residualSq[c] / total;
    }
    return sum / w;
  }
}
