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

  @Test
  void outputsAndGradientRoutingMatchTheFirstGreatestTapWithTiesZerosAndNaNsForAnyThreadCount() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setThreads(threads);
        for (int[] ks : new int[][] {{2, 2}, {3, 1}, {2, 1}}) { // kernel, stride: tiled and overlapping windows
          MaxPool2d pool = new MaxPool2d(new MaxPool2d.Params(ks[0], ks[1], 0));
          new Model(List.of(pool)).build(Shape.of(3, 7, 6), List.of("model.layers[0]"), true);
          RandomStream random = new RandomStream(threads * 10 + ks[0]);
          int n = 40; // 1,080 2x2 windows of 14 delicate values: NaN and ties in every tap position
          Tensor x = Tensor.zeros(n, 3, 7, 6);
          for (int i = 0; i < x.size(); i++) x.set(i, DELICATE[random.nextInt(DELICATE.length)]); // many ties
          float[] out = pool.forward(x, Pass.TRAINING).data().clone();
          Tensor ones = Tensor.zeros(n, 3, (7 - ks[0]) / ks[1] + 1, (6 - ks[0]) / ks[1] + 1).fill(1f);
          float[] routed = pool.backward(ones).data();

          int outH = (7 - ks[0]) / ks[1] + 1;
          int outW = (6 - ks[0]) / ks[1] + 1;
          float[] expectedRouted = new float[x.size()];
          int o = 0;
          for (int plane = 0; plane < n * 3; plane++) {
            for (int oh = 0; oh < outH; oh++) {
              for (int ow = 0; ow < outW; ow++, o++) {
                int at = -1;
                float best = 0;
                for (int ki = 0; ki < ks[0]; ki++) {
                  for (int kj = 0; kj < ks[0]; kj++) {
                    int i = plane * 42 + (oh * ks[1] + ki) * 6 + ow * ks[1] + kj;
                    if (at < 0 || x.get(i) > best) {
                      best = x.get(i);
                      at = i;
                    }
                  }
                }
                String where = "kernel " + ks[0] + " stride " + ks[1] + ", output " + o + ", " + threads + " threads";
                assertThat(Float.floatToRawIntBits(out[o])).as(where).isEqualTo(Float.floatToRawIntBits(best));
                expectedRouted[at] += 1f;
              }
            }
          }
          assertThat(routed).as("gradient routing, kernel %d stride %d", ks[0], ks[1]).isEqualTo(expectedRouted);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
