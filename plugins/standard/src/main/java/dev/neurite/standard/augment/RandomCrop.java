package dev.neurite.standard.augment;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Pads each image with `padding` zero pixels on every side, then crops a window of the original size at a "
    + "uniformly random position (torchvision's RandomCrop(size, padding))")
public final class RandomCrop implements Augmentation {
  public record Params(@Doc("zero padding on each side, in pixels") @Default("4") @Min(0) int padding) {}

  private final int padding;
  private final RandomStream random;
  private float[] tmp = new float[0];

  @Inject
  public RandomCrop(Params params, RandomStream random) {
    this.padding = params.padding();
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    Images.checkImage("random_crop", sample);
  }

  @Override
  public void apply(Tensor features) {
    // the window at (p - dy, p - dx) of the zero-padded image is the image moved by (dy, dx)
    tmp = Images.shiftEach(features, padding, random, tmp);
  }
}
