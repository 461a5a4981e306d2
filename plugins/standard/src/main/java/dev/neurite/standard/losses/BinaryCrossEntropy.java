package dev.neurite.standard.losses;

import dev.neurite.spi.DataRowException;
import dev.neurite.spi.Doc;
import dev.neurite.spi.ElementwiseLoss;
import dev.neurite.spi.Layer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

@Doc("Binary cross-entropy from logits (a sigmoid fused in, computed stably), as PyTorch's BCEWithLogitsLoss: "
    + "targets in [0, 1], averaged over every element")
public final class BinaryCrossEntropy extends ElementwiseLoss {
  @Override
  protected String name() {
    return "binary_cross_entropy";
  }

  @Override
  public void check(Shape output, Tensor targets) {
    super.check(output, targets);
    float[] y = targets.data();
    int width = targets.shape().dropFirst().size();
    for (int i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && y[i] <= 1)) {
        throw new DataRowException(i / width, "", " has target " + y[i] + "; binary_cross_entropy needs targets between 0 and 1",
            true);
      }
    }
  }

  @Override
  public void checkModel(List<Layer> layers) {
    if (Layer.outputsOf(layers) == Layer.Outputs.SIGMOID) {
      throw new IllegalArgumentException("the model ends with a sigmoid, but binary_cross_entropy applies its own sigmoid to raw "
          + "scores (logits): remove the sigmoid");
    }
  }

  @Override
  protected double value(float o, float t) {
    // max(x, 0) - x t + log(1 + exp(-|x|))
    return Math.max(o, 0) - (double) o * t + Math.log1p(Math.exp(-Math.abs(o)));
  }

  @Override
  protected double derivative(float o, float t) {
    return 1 / (1 + Math.exp(-o)) - t;
  }

  @Override
  public Reading reading() {
    return Reading.BINARY_LOGITS;
  }
}
