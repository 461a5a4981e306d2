package dev.neurite.standard.transforms;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import jakarta.inject.Inject;

@Doc("A fixed affine change of every feature, x' = (x - subtract) / divide_by: e.g. divide_by: 255 for 8-bit pixels, "
    + "or subtract: 0.1307, divide_by: 0.3081 after it for MNIST's usual normalisation. Nothing is fitted")
public final class Scale implements OnnxExportable, Transform {
  public record Params(@Doc("subtracted first") @Default("0") double subtract, @Doc("then divided by") @Default("1") double divideBy) {
    public Params {
      if (divideBy == 0) throw new IllegalArgumentException("divide_by must not be 0");
    }
  }

  private final float subtract;
  private final float divideBy;

  @Inject
  public Scale(Params params) {
    this.subtract = (float) params.subtract();
    this.divideBy = (float) params.divideBy();
  }

  @Override
  public Dataset apply(Dataset data) {
    int w = data.sampleShape().size();
    float s = subtract;
    float d = divideBy;
    return data.map((x, off, y, yOff) -> {
      for (int j = 0; j < w; j++) x[off + j] = (x[off + j] - s) / d;
    });
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String shifted = graph.node("Sub", inputs.get(0), graph.constant("subtract", Tensor.wrap(new float[] {subtract}, 1)));
    return graph.node("Div", shifted, graph.constant("divide_by", Tensor.wrap(new float[] {divideBy}, 1)));
  }
}
