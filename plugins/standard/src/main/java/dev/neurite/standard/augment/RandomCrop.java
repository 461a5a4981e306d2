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
    int[] d = features.shape().dims();
    int size = d[1] * d[2] * d[3];
    if (tmp.length < size) tmp = new float[size];
    for (int i = 0; i < d[0]; i++) {
      // the window's top-left corner in the padded image is (top, left) in [0, 2 * padding]
      int top = random.nextInt(2 * padding + 1);
      int left = random.nextInt(2 * padding + 1);
      Images.shift(features.data(), i * size, d[1], d[2], d[3], padding - top, padding - left, tmp);
    }
  }
}
