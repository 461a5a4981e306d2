package dev.neurite.standard.augment;

import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;

/** Shared checks and pixel moves for the image augmentations; samples are [channels, height, width]. */
final class Images {
  private Images() {}

  static void checkImage(String name, Shape sample) {
    if (sample.rank() != 3) {
      throw new IllegalArgumentException(name + " needs image samples of shape [channels, height, width], got " + sample
          + "; read images with layout: image (idx) or as [n, channels, height, width] arrays (npy)");
    }
  }

  /**
   * Moves each image of {@code features} ({@code [n, c, h, w]}) by (dy, dx), each drawn uniformly from
   * [-max, max] (dy first); returns the scratch buffer, grown if it was too small.
   */
  static float[] shiftEach(Tensor features, int max, RandomStream random, float[] tmp) {
    int[] d = features.shape().dims();
    int size = d[1] * d[2] * d[3];
    float[] buf = tmp.length < size ? new float[size] : tmp;
    for (int i = 0; i < d[0]; i++) {
      int dy = random.nextInt(2 * max + 1) - max;
      int dx = random.nextInt(2 * max + 1) - max;
      shift(features.data(), i * size, d[1], d[2], d[3], dy, dx, buf);
    }
    return buf;
  }

  /**
   * Moves one sample's pixels by (dy, dx) within {@code buf[off..]}, filling the uncovered border
   * with 0. {@code tmp} holds at least one sample.
   */
  static void shift(float[] buf, int off, int c, int h, int w, int dy, int dx, float[] tmp) {
    if (dy == 0 && dx == 0) return;
    int size = c * h * w;
    System.arraycopy(buf, off, tmp, 0, size);
    Arrays.fill(buf, off, off + size, 0f);
    int y0 = Math.max(0, dy);
    int y1 = Math.min(h, h + dy);
    int x0 = Math.max(0, dx);
    int x1 = Math.min(w, w + dx);
    if (x1 <= x0) return;
    for (int ch = 0; ch < c; ch++) {
      for (int y = y0; y < y1; y++) {
        System.arraycopy(tmp, ch * h * w + (y - dy) * w + (x0 - dx), buf, off + ch * h * w + y * w + x0, x1 - x0);
      }
    }
  }
}
