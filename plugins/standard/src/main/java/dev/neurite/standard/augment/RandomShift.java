package dev.neurite.standard.augment;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Moves each image by a whole number of pixels, drawn uniformly from [-max_pixels, max_pixels] per axis; "
    + "the uncovered border is 0")
public final class RandomShift implements Augmentation {
  public record Params(@Doc("largest shift per axis, in pixels") @Default("2") @Min(0) int maxPixels) {}

  private final int max;
  private final RandomStream random;
  private float[] tmp = new float[0];

  @Inject
  public RandomShift(Params params, RandomStream random) {
    this.max = params.maxPixels();
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    Images.checkImage("random_shift", sample);
  }

  @Override
  public void apply(Tensor features) {
    tmp = Images.shiftEach(features, max, random, tmp);
  }
}
