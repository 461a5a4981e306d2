package dev.neurite.standard.transforms;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Transform;
import jakarta.inject.Inject;

@Example("min: 0, max: 1")
@Doc("Limits every feature to [min, max]. Nothing is fitted")
public final class Clip implements OnnxExportable, Transform {
  public record Params(@Doc("lower limit") double min, @Doc("upper limit") double max) {
    public Params {
      if (!(max >= min)) throw new IllegalArgumentException("max must be at least min, got min " + min + ", max " + max);
    }
  }

  private final float min;
  private final float max;

  @Inject
  public Clip(Params params) {
    this.min = (float) params.min();
    this.max = (float) params.max();
  }

  @Override
  public Dataset apply(Dataset data) {
    int w = data.sampleShape().size();
    float lo = min;
    float hi = max;
    return data.map((x, off, y, yOff) -> {
      for (int j = 0; j < w; j++) x[off + j] = Math.max(lo, Math.min(hi, x[off + j]));
    });
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Clip", inputs.get(0), graph.constant("min", Tensor.wrap(new float[] {min}, 1)),
        graph.constant("max", Tensor.wrap(new float[] {max}, 1)));
  }
}
