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

@Doc("Rotates each image about its centre by an angle drawn uniformly from [-degrees, degrees], with bilinear "
    + "interpolation; pixels from outside the image are 0")
public final class RandomRotation implements Augmentation {
  public record Params(@Doc("largest rotation either way, in degrees") @Default("10") @Min(0) @Max(180) double degrees) {}

  private final double degrees;
  private final RandomStream random;
  private float[] tmp = new float[0];

  @Inject
  public RandomRotation(Params params, RandomStream random) {
    this.degrees = params.degrees();
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    Images.checkImage("random_rotation", sample);
  }

  @Override
  public void apply(Tensor features) {
    int[] d = features.shape().dims();
    int c = d[1];
    int h = d[2];
    int w = d[3];
    int size = c * h * w;
    if (tmp.length < size) tmp = new float[size];
    float[] v = features.data();
    double cy = (h - 1) / 2.0;
    double cx = (w - 1) / 2.0;
    for (int i = 0; i < d[0]; i++) {
      double angle = Math.toRadians((random.nextDouble() * 2 - 1) * degrees);
      double cos = StrictMath.cos(angle);
      double sin = StrictMath.sin(angle);
      int base = i * size;
      System.arraycopy(v, base, tmp, 0, size);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // the source point that lands on (y, x): the inverse rotation
          double sx = cos * (x - cx) + sin * (y - cy) + cx;
          double sy = -sin * (x - cx) + cos * (y - cy) + cy;
          int x0 = (int) Math.floor(sx);
          int y0 = (int) Math.floor(sy);
          float fx = (float) (sx - x0);
          float fy = (float) (sy - y0);
          for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            float p00 = pixel(tmp, plane, h, w, y0, x0);
            float p01 = pixel(tmp, plane, h, w, y0, x0 + 1);
            float p10 = pixel(tmp, plane, h, w, y0 + 1, x0);
            float p11 = pixel(tmp, plane, h, w, y0 + 1, x0 + 1);
            float top = p00 + (p01 - p00) * fx;
            float bottom = p10 + (p11 - p10) * fx;
            v[base + plane + y * w + x] = top + (bottom - top) * fy;
          }
        }
      }
    }
  }

  private static float pixel(float[] img, int plane, int h, int w, int y, int x) {
    return y < 0 || y >= h || x < 0 || x >= w ? 0f : img[plane + y * w + x];
  }
}
