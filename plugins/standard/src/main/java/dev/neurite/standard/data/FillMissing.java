package dev.neurite.standard.data;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import java.util.Map;

/** The csv source's {@code missing: mean}: a missing (NaN) numeric cell becomes its column's training-split mean. */
final class FillMissing implements Transform {
  private float[] means;

  @Override
  public void fit(Dataset train) {
    int w = train.sampleShape().size();
    var categorical = train.categories();
    double[] sum = new double[w];
    long[] count = new long[w];
    float[] x = new float[w];
    float[] y = new float[train.targetShape().size()];
    for (int r = 0; r < train.size(); r++) {
      train.read(r, x, 0, y, 0);
      for (int j = 0; j < w; j++) {
        if (!Float.isNaN(x[j])) {
          sum[j] += x[j];
          count[j]++;
        }
      }
    }
    means = new float[w];
    for (int j = 0; j < w; j++) {
      if (categorical.containsKey(j)) continue;
      if (count[j] == 0) {
        throw new IllegalArgumentException("missing: mean: column '" + name(train, j) + "' has no values in the training split to average");
      }
      means[j] = (float) (sum[j] / count[j]);
    }
  }

  private static String name(Dataset d, int j) {
    return j < d.featureNames().size() ? d.featureNames().get(j) : "#" + j;
  }

  @Override
  public Dataset apply(Dataset data) {
    float[] m = means;
    if (m.length != data.sampleShape().size()) {
      throw new IllegalArgumentException("missing: mean was fitted on " + m.length + " features but got " + data.sampleShape().size());
    }
    boolean[] skip = new boolean[m.length];
    data.categories().keySet().forEach(j -> skip[j] = true);
    return data.map((x, off, y, yOff) -> {
      for (int j = 0; j < m.length; j++) if (!skip[j] && Float.isNaN(x[off + j])) x[off + j] = m[j];
    });
  }

  @Override
  public Map<String, Tensor> state() {
    return means == null ? Map.of() : Map.of("mean", Tensor.wrap(means.clone(), means.length));
  }

  @Override
  public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
    if (state.get("mean") == null) throw new IllegalArgumentException("missing: mean: the saved state lacks the means");
    means = state.get("mean").data().clone();
  }
}
