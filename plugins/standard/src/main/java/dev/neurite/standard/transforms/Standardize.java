package dev.neurite.standard.transforms;

import dev.neurite.tensor.Shape;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

@Doc("Scales each feature to zero mean and unit variance, with the mean and (population) standard deviation "
    + "of the training split, as scikit-learn's StandardScaler; a constant feature is only centred")
public final class Standardize implements OnnxExportable, Transform {
  private Tensor mean;
  private Tensor std;

  @Override
  public void fit(Dataset train) {
    FeatureStats stats = FeatureStats.of(train);
    int w = stats.width();
    mean = Tensor.zeros(train.sampleShape());
    std = Tensor.zeros(train.sampleShape());
    for (int j = 0; j < w; j++) {
      double s = stats.std(j);
      mean.data()[j] = (float) stats.mean(j);
      std.data()[j] = s < 1e-12 ? 1f : (float) s;
    }
  }

  @Override
  public Dataset apply(Dataset data) {
    if (mean == null) throw new IllegalStateException("standardize was applied before it was fitted");
    int w = data.sampleShape().size();
    if (w != mean.size() || w != std.size()) {
      throw new IllegalArgumentException("standardize was fitted on " + mean.size() + " features but got " + w);
    }
    float[] m = mean.data();
    float[] s = std.data();
    return data.map((x, off, y, yOff) -> {
      for (int j = 0; j < w; j++) x[off + j] = (x[off + j] - m[j]) / s[j];
    });
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

  @Override
  public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
    mean = state.get("mean");
    std = state.get("std");
    if (mean == null || std == null) throw new IllegalArgumentException("standardize: the saved state lacks mean or std");
    if (!mean.shape().equals(std.shape())) {
      throw new IllegalArgumentException("standardize: the saved mean has shape " + mean.shape() + " but std has " + std.shape());
    }
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Div", graph.node("Sub", inputs.get(0), graph.constant("mean", mean)), graph.constant("std", std));
  }
}
