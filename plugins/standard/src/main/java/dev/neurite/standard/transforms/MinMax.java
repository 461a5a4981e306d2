package dev.neurite.standard.transforms;

import dev.neurite.tensor.Shape;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Map;

@Doc("Scales each feature linearly so the training split's minimum and maximum map to [min, max], as scikit-learn's "
    + "MinMaxScaler; a constant feature maps to min. Other splits may fall outside the range")
public final class MinMax implements OnnxExportable, Transform {
  public record Params(@Doc("lower end of the range") @Default("0") double min, @Doc("upper end of the range") @Default("1") double max) {
    public Params {
      if (!(max > min)) throw new IllegalArgumentException("max must be greater than min, got min " + min + ", max " + max);
    }
  }

  private final Params params;
  private float[] low;
  private float[] scale;

  @Inject
  public MinMax(Params params) {
    this.params = params;
  }

  @Override
  public void fit(Dataset train) {
    FeatureStats s = FeatureStats.of(train);
    low = s.min().clone();
    scale = new float[s.width()];
    for (int j = 0; j < scale.length; j++) {
      double range = (double) s.max()[j] - s.min()[j];
      scale[j] = range == 0 ? 0f : (float) ((params.max() - params.min()) / range);
    }
  }

  @Override
  public Dataset apply(Dataset data) {
    if (low == null) throw new IllegalStateException("min_max was applied before it was fitted");
    int w = data.sampleShape().size();
    if (w != low.length) throw new IllegalArgumentException("min_max was fitted on " + low.length + " features but got " + w);
    float[] lo = low;
    float[] sc = scale;
    float min = (float) params.min();
    return data.map((x, off, y, yOff) -> {
      for (int j = 0; j < w; j++) x[off + j] = (x[off + j] - lo[j]) * sc[j] + min;
    });
  }

  @Override
  public Map<String, Tensor> state() {
    return low == null ? Map.of() : Map.of("data_min", Tensor.wrap(low.clone(), low.length), "scale", Tensor.wrap(scale.clone(), scale.length));
  }

  @Override
  public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
    if (state.get("data_min") == null || state.get("scale") == null) {
      throw new IllegalArgumentException("min_max: the saved state lacks data_min or scale");
    }
    if (state.get("data_min").size() != state.get("scale").size()) {
      throw new IllegalArgumentException("min_max: the saved data_min has " + state.get("data_min").size() + " values but scale has "
          + state.get("scale").size());
    }
    low = state.get("data_min").data().clone();
    scale = state.get("scale").data().clone();
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    int w = low.length;
    String shifted = graph.node("Sub", inputs.get(0), graph.constant("low", Tensor.wrap(low.clone(), inputShapes.get(0))));
    String scaled = graph.node("Mul", shifted, graph.constant("scale", Tensor.wrap(scale.clone(), inputShapes.get(0))));
    return graph.node("Add", scaled, graph.constant("min", Tensor.wrap(new float[] {(float) params.min()}, 1)));
  }
}
