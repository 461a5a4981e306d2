package dev.neurite.standard.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.nn.Model;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Max pooling against the plain window search, on the values where a max is delicate, with one and two threads. */
class MaxPool2dTest {
  private static final float[] DELICATE = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f, 2.5f,
      -2.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0xFFC00001)};

  /**
   * Input planes [channels, height, width]: 2x2 windows in rows of 3 (the scalar loop), 4 and 5 (the
   * kernel's 4-window steps, the last overlapping), 8 and 13 (8-window steps, 13 overlapping).
   */
  private static final int[][] SHAPES = {{3, 7, 6}, {2, 4, 8}, {2, 5, 11}, {1, 4, 17}, {2, 6, 26}};

  @Test
  void outputsAndGradientRoutingMatchTheFirstGreatestTapWithTiesZerosAndNaNsForAnyThreadCount() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setThreads(threads);
        for (int[] shape : SHAPES) {
          for (int[] ks : new int[][] {{2, 2}, {3, 1}, {2, 1}}) { // kernel, stride: tiled and overlapping windows
            check(threads, shape[0], shape[1], shape[2], ks[0], ks[1]);
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static void check(int threads, int channels, int height, int width, int kernel, int stride) {
    MaxPool2d pool = new MaxPool2d(new MaxPool2d.Params(kernel, stride, 0));
    new Model(List.of(pool)).build(Shape.of(channels, height, width), List.of("model.layers[0]"), true);
    RandomStream random = new RandomStream(threads * 10 + kernel + width);
    int n = 40; // e.g. 1,080 2x2 windows of 14 delicate values for 3 x 7 x 6: NaN and ties in every tap position
    Tensor x = Tensor.zeros(n, channels, height, width);
    for (int i = 0; i < x.size(); i++) x.set(i, DELICATE[random.nextInt(DELICATE.length)]); // many ties
    float[] out = pool.forward(x, Pass.TRAINING).data().clone();
    int outH = (height - kernel) / stride + 1;
    int outW = (width - kernel) / stride + 1;
    Tensor ones = Tensor.zeros(n, channels, outH, outW).fill(1f);
    float[] routed = pool.backward(ones).data();

    float[] expectedRouted = new float[x.size()];
    int o = 0;
    for (int plane = 0; plane < n * channels; plane++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++, o++) {
          int at = -1;
          float best = 0;
          for (int ki = 0; ki < kernel; ki++) {
            for (int kj = 0; kj < kernel; kj++) {
              int i = plane * height * width + (oh * stride + ki) * width + ow * stride + kj;
              if (at < 0 || x.get(i) > best) {
                best = x.get(i);
                at = i;
              }
            }
          }
          String where = "input " + channels + "x" + height + "x" + width + ", kernel " + kernel + " stride " + stride
              + ", output " + o + ", " + threads + " threads";
          // the same bits, -0 and +0 told apart; a NaN is a NaN (its payload is not promised)
          assertThat(Float.floatToIntBits(out[o])).as(where).isEqualTo(Float.floatToIntBits(best));
          expectedRouted[at] += 1f;
        }
      }
    }
    assertThat(routed).as("gradient routing, input %dx%dx%d, kernel %d stride %d", channels, height, width, kernel, stride)
        .isEqualTo(expectedRouted);
  }
}
