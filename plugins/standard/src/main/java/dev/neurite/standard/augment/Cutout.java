package dev.neurite.standard.augment;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;

@Doc("Sets a size x size square of every channel to 0 at a uniformly random centre, which may lie near the border "
    + "so the square is partly outside (DeVries and Taylor 2017)")
public final class Cutout implements Augmentation {
  public record Params(@Doc("side of the square, in pixels") @Default("8") @Min(1) int size,
                       @Doc("squares per image") @Default("1") @Min(1) int count) {}

  private final Params params;
  private final RandomStream random;

  @Inject
  public Cutout(Params params, RandomStream random) {
    this.params = params;
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    Images.checkImage("cutout", sample);
  }

  @Override
  public void apply(Tensor features) {
    int[] d = features.shape().dims();
    int c = d[1];
    int h = d[2];
    int w = d[3];
    float[] v = features.data();
    for (int i = 0; i < d[0]; i++) {
      for (int k = 0; k < params.count(); k++) {
        int cy = random.nextInt(h);
        int cx = random.nextInt(w);
        int y0 = Math.max(0, cy - params.size() / 2);
        int y1 = Math.min(h, cy - params.size() / 2 + params.size());
        int x0 = Math.max(0, cx - params.size() / 2);
        int x1 = Math.min(w, cx - params.size() / 2 + params.size());
        for (int ch = 0; ch < c; ch++) {
          for (int y = y0; y < y1; y++) {
            int row = ((i * c + ch) * h + y) * w;
            Arrays.fill(v, row + x0, row + x1, 0f);
          }
        }
      }
    }
  }
}
