package dev.neurite.standard.augment;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Mirrors each image left-right (and, if asked, top-bottom), each with the given probability")
public final class RandomFlip implements Augmentation {
  public record Params(
      @Doc("mirror left-right") @Default("true") boolean horizontal,
      @Doc("mirror top-bottom") @Default("false") boolean vertical,
      @Doc("probability of each flip") @Default("0.5") @Min(0) @Max(1) double probability) {
    public Params {
      if (!horizontal && !vertical) throw new IllegalArgumentException("horizontal and vertical are both false: nothing to flip");
    }
  }

  private final Params params;
  private final RandomStream random;

  @Inject
  public RandomFlip(Params params, RandomStream random) {
    this.params = params;
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    Images.checkImage("random_flip", sample);
  }

  @Override
  public void apply(Tensor features) {
    int[] d = features.shape().dims();
    int c = d[1];
    int h = d[2];
    int w = d[3];
    float[] v = features.data();
    for (int i = 0; i < d[0]; i++) {
      int base = i * c * h * w;
      if (params.horizontal() && random.nextDouble() < params.probability()) {
        for (int ch = 0; ch < c; ch++) {
          for (int y = 0; y < h; y++) {
            int row = base + (ch * h + y) * w;
            for (int a = 0, b = w - 1; a < b; a++, b--) {
              float t = v[row + a];
              v[row + a] = v[row + b];
              v[row + b] = t;
            }
          }
        }
      }
      if (params.vertical() && random.nextDouble() < params.probability()) {
        for (int ch = 0; ch < c; ch++) {
          for (int a = 0, b = h - 1; a < b; a++, b--) {
            int ra = base + (ch * h + a) * w;
            int rb = base + (ch * h + b) * w;
            for (int x = 0; x < w; x++) {
              float t = v[ra + x];
              v[ra + x] = v[rb + x];
              v[rb + x] = t;
            }
          }
        }
      }
    }
  }
}
