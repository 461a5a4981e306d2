package dev.neurite.standard.transforms;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

@Doc("Scales each feature to zero mean and unit variance, with the mean and (population) standard deviation "
    + "of the training split, as scikit-learn's StandardScaler; a constant feature is only centred")
public final class Standardize implements Transform {
  private Tensor mean;
  private Tensor std;

  @Override
  public void fit(Dataset train) {
    Tensor x = train.features();
    int n = x.rows();
    int w = x.rowSize();
    double[] sum = new double[w];
    for (int r = 0; r < n; r++) for (int j = 0; j < w; j++) sum[j] += x.data()[r * w + j];
    double[] mu = new double[w];
    for (int j = 0; j < w; j++) mu[j] = sum[j] / n;
    double[] sq = new double[w];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < w; j++) {
        double d = x.data()[r * w + j] - mu[j];
        sq[j] += d * d;
      }
    }
    mean = Tensor.zeros(train.sampleShape());
    std = Tensor.zeros(train.sampleShape());
    for (int j = 0; j < w; j++) {
      double s = Math.sqrt(sq[j] / n);
      mean.data()[j] = (float) mu[j];
      std.data()[j] = s < 1e-12 ? 1f : (float) s;
    }
  }

  @Override
  public Dataset apply(Dataset data) {
    if (mean == null) throw new IllegalStateException("standardize was applied before it was fitted");
    Tensor x = data.features().copy();
    int w = x.rowSize();
    if (w != mean.size()) {
      throw new IllegalArgumentException("standardize was fitted on " + mean.size() + " features but got " + w);
    }
    float[] v = x.data();
    for (int i = 0; i < v.length; i++) v[i] = (v[i] - mean.data()[i % w]) / std.data()[i % w];
    return new Dataset(x, data.targets(), data.featureNames());
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> s = new LinkedHashMap<>();
    if (mean != null) {
      s.put("mean", mean);
      s.put("std", std);
    }
    return s;
  }
}
