package dev.neurite.standard.transforms;

import dev.neurite.spi.Dataset;
import java.util.Arrays;

/**
 * Per-feature mean, population standard deviation, minimum and maximum of a dataset, in one
 * streaming pass (Welford's update in double precision), so fitting never holds the data in memory.
 */
record FeatureStats(int width, long count, double[] means, double[] m2, float[] min, float[] max) {
  static FeatureStats of(Dataset data) {
    int w = data.sampleShape().size();
    float[] x = new float[w];
    float[] y = new float[data.targetShape().size()];
    double[] mean = new double[w];
    double[] m2 = new double[w];
    float[] min = new float[w];
    float[] max = new float[w];
    Arrays.fill(min, Float.POSITIVE_INFINITY);
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    long n = 0;
    for (int r = 0; r < data.size(); r++) {
      data.read(r, x, 0, y, 0);
      n++;
      for (int j = 0; j < w; j++) {
        double v = x[j];
        double d = v - mean[j];
        mean[j] += d / n;
        m2[j] += d * (v - mean[j]);
        if (x[j] < min[j]) min[j] = x[j];
        if (x[j] > max[j]) max[j] = x[j];
      }
    }
    return new FeatureStats(w, n, mean, m2, min, max);
  }

  double mean(int j) {
    return means[j];
  }

  double std(int j) {
    return count == 0 ? 0 : Math.sqrt(m2[j] / count);
  }
}
