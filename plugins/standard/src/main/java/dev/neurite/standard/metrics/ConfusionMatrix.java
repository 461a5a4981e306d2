package dev.neurite.standard.metrics;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Metric;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Doc("Counts of (actual, predicted) class pairs; the summary holds the matrix (rows: actual classes), the value is the "
    + "fraction on its diagonal")
public final class ConfusionMatrix implements Metric, Stateful {
  public record Params(@Doc("decision threshold for a single output") @Default("0.5") double threshold) {}

  private final double threshold;
  private long[][] counts = new long[0][0];

  @Inject
  public ConfusionMatrix(Params params) {
    this.threshold = params.threshold();
  }

  @Override
  public void reset() {
    counts = new long[0][0];
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int k = Classes.count(output);
    if (counts.length != k) counts = new long[k][k];
    for (int r = 0; r < output.rows(); r++) {
      counts[Classes.actual(target, r, output.rowSize())][Classes.predicted(output, r, threshold)]++;
    }
  }

  /** The counts as numbers {@code "ACTUAL,PREDICTED"}, and {@code classes}. */
  @Override
  public State state() {
    Map<String, Number> numbers = new LinkedHashMap<>();
    numbers.put("classes", (long) counts.length);
    for (int a = 0; a < counts.length; a++) {
      for (int p = 0; p < counts.length; p++) numbers.put(a + "," + p, counts[a][p]);
    }
    return new State(Map.of(), numbers);
  }

  @Override
  public void load(State state) {
    int k = state.numbers().get("classes").intValue();
    counts = new long[k][k];
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) counts[a][p] = state.numbers().get(a + "," + p).longValue();
    }
  }

  long[][] counts() {
    return counts;
  }

  @Override
  public double value() {
    long total = 0;
    long diagonal = 0;
    for (int i = 0; i < counts.length; i++) {
      for (int j = 0; j < counts.length; j++) total += counts[i][j];
      diagonal += counts[i][i];
    }
    return total == 0 ? Double.NaN : (double) diagonal / total;
  }

  @Override
  public Object details() {
    List<List<Long>> rows = new ArrayList<>();
    for (long[] row : counts) {
      List<Long> r = new ArrayList<>();
      for (long v : row) r.add(v);
      rows.add(r);
    }
    return rows;
  }
}
