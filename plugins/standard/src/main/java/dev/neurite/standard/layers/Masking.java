package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Pass;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Marks padding in a real-valued sequence [time, features], as Keras' Masking: a step whose every value equals "
    + "mask_value is padding, and the layers after this one skip it (a recurrence carries its state over it, attention "
    + "ignores it, last and the global poolings leave it out). The values pass through unchanged")
@Example(shape = {4, 3})
public final class Masking implements Layer, OnnxExportable {
  public record Params(@Doc("the value that fills a padded step") @Default("0") double maskValue) {}

  private final float maskValue;
  private int steps;
  private int features;
  private StepMask mask;

  @Inject
  public Masking(Params params) {
    this.maskValue = (float) params.maskValue();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException("masking reads a sequence [time, features], got " + input);
    steps = input.dim(0);
    features = input.dim(1);
    return input;
  }

  @Override
  public Layer.Masking masking() {
    return Layer.Masking.STARTS;
  }

  @Override
  public StepMask outputMask() {
    return mask;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    mask = StepMask.reuse(mask, n, steps);
    float[] v = x.data();
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int at = (b * steps + t) * features;
        boolean padding = true;
        for (int j = 0; j < features && padding; j++) padding = v[at + j] == maskValue;
        if (padding) mask.set(b, t, false);
      }
    }
    return x;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    return gradOutput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return inputs.get(0); // never reached: the export refuses a layer that starts a mask
  }
}
