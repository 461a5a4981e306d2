package dev.neurite.standard.transforms;

import dev.neurite.spi.DataRowException;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Shape;
import jakarta.inject.Inject;
import java.util.Arrays;

@Example("classes: 10")
@Doc("Turns class-index targets ([1]) into one-hot vectors ([classes]), e.g. for mean_squared_error or "
    + "binary_cross_entropy; every label must be a whole number in [0, classes)")
public final class OneHot implements Transform {
  public record Params(@Doc("number of classes") @Min(2) int classes) {}

  private final int classes;

  @Inject
  public OneHot(Params params) {
    this.classes = params.classes();
  }

  @Override
  public Dataset apply(Dataset data) {
    if (data.targetShape().size() != 1) {
      throw new IllegalArgumentException("one_hot needs class-index targets of shape [1], got " + data.targetShape());
    }
    float[] y = new float[1];
    for (int r = 0; r < data.size(); r++) {
      data.readTarget(r, y, 0);
      if (y[0] < 0 || y[0] >= classes || y[0] != Math.rint(y[0])) {
        throw new DataRowException(r, "", " has label " + y[0] + "; one_hot with classes: " + classes
            + " needs a whole number from 0 to " + (classes - 1), true);
      }
    }
    int k = classes;
    return data.mapTargets(Shape.of(k), (in, out, off) -> {
      Arrays.fill(out, off, off + k, 0f);
      out[off + (int) in[0]] = 1f;
    });
  }
}
