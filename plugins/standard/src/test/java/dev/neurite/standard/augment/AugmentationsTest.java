package dev.neurite.standard.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AugmentationsTest {
  /** n images of 1 x h x w whose pixel (y, x) is 1 + y * w + x (so every pixel is distinguishable from the zero fill). */
  private static Tensor images(int n, int h, int w) {
    Tensor t = Tensor.zeros(n, 1, h, w);
    for (int i = 0; i < t.size(); i++) t.data()[i] = 1 + i % (h * w);
    return t;
  }

  @Test
  void everyImageAugmentationRefusesFlatSamples() {
    assertThatThrownBy(() -> new RandomShift(new RandomShift.Params(2), new RandomStream(1)).check(Shape.of(784)))
        .hasMessage("random_shift needs image samples of shape [channels, height, width], got [784]; "
            + "read images with layout: image (idx) or as [n, channels, height, width] arrays (npy)");
    new GaussianNoise(new GaussianNoise.Params(1), new RandomStream(1)).check(Shape.of(784)); // any shape
  }

  @Test
  void shiftMovesPixelsByWholeStepsAndFillsWithZero() {
    float[] img = images(1, 3, 3).data();
    Images.shift(img, 0, 1, 3, 3, 1, -1, new float[9]);
    // down by one, left by one: row 0 is empty, column 2 is empty
    assertThat(img).containsExactly(0, 0, 0, 2, 3, 0, 5, 6, 0);
    Tensor batch = images(200, 5, 5);
    new RandomShift(new RandomShift.Params(2), new RandomStream(3)).apply(batch);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      // the centre pixel tells the shift: it came from (2 - dy, 2 - dx); the uncovered border is exactly the zeros
      int v = (int) batch.data()[i * 25 + 12] - 1;
      int dy = 2 - v / 5;
      int dx = 2 - v % 5;
      assertThat(Math.abs(dy)).isLessThanOrEqualTo(2);
      assertThat(Math.abs(dx)).isLessThanOrEqualTo(2);
      int zeros = 0;
      for (int k = 0; k < 25; k++) if (batch.data()[i * 25 + k] == 0) zeros++;
      assertThat(zeros).isEqualTo(25 - (5 - Math.abs(dy)) * (5 - Math.abs(dx)));
      seen.add(dy * 10 + dx);
    }
    assertThat(seen).hasSize(25); // every shift in [-2, 2]^2 occurs
  }

  @Test
  void cropWithoutPaddingAndRotationByZeroChangeNothing() {
    Tensor a = images(4, 6, 6);
    float[] before = a.data().clone();
    new RandomCrop(new RandomCrop.Params(0), new RandomStream(1)).apply(a);
    assertThat(a.data()).containsExactly(before);
    new RandomRotation(new RandomRotation.Params(0), new RandomStream(1)).apply(a);
    assertThat(a.data()).containsExactly(before);
  }

  @Test
  void rotationResamplesALinearRampExactly() {
    // degrees: 90 draws an angle in [-90, 90]; replay the draw and compare with the rotated ramp
    Tensor a = images(1, 5, 5);
    float[] before = a.data().clone();
    RandomStream r = new RandomStream(11);
    double u = new RandomStream(11).nextDouble();
    new RandomRotation(new RandomRotation.Params(90), r).apply(a);
    double angle = (u * 2 - 1) * 90;
    // bilinear interpolation reproduces a rotation of a linear ramp exactly inside the image
    double rad = Math.toRadians(angle);
    float centre = a.data()[12];
    assertThat(centre).isCloseTo(before[12], within(1e-4f));
    // the pixel one step right of the centre comes from (cos, -sin) of the step: a bilinear sample of the ramp 1 + 5y + x
    double sx = Math.cos(rad) + 2;
    double sy = -Math.sin(rad) + 2;
    assertThat(a.data()[13]).isCloseTo((float) (1 + 5 * sy + sx), within(1e-4f));
  }

  @Test
  void flipTwiceIsTheIdentityAndCutoutZeroesASquare() {
    Tensor a = images(1, 4, 4);
    float[] before = a.data().clone();
    RandomFlip always = new RandomFlip(new RandomFlip.Params(true, true, 1.0), new RandomStream(1));
    always.apply(a);
    assertThat(a.data()[0]).isEqualTo(16f); // both flips: the top-left pixel comes from the bottom-right
    always.apply(a);
    assertThat(a.data()).containsExactly(before);

    Tensor b = images(300, 10, 10);
    new Cutout(new Cutout.Params(4, 1), new RandomStream(2)).apply(b);
    int fullSquares = 0;
    for (int i = 0; i < 300; i++) {
      int zeros = 0;
      for (int k = 0; k < 100; k++) if (b.data()[i * 100 + k] == 0) zeros++;
      assertThat(zeros).isBetween(4, 16); // a 4x4 square, possibly clipped at the border (at least 2x2)
      if (zeros == 16) fullSquares++;
    }
    assertThat(fullSquares).isGreaterThan(100);
  }

  @Test
  void gaussianNoiseHasTheRequestedSpreadAndFollowsTheSeed() {
    Tensor a = Tensor.zeros(100, 100);
    new GaussianNoise(new GaussianNoise.Params(0.5), new RandomStream(4)).apply(a);
    double sum = 0;
    double sq = 0;
    for (float v : a.data()) {
      sum += v;
      sq += v * v;
    }
    assertThat(sum / 10_000).isCloseTo(0, within(0.02));
    assertThat(Math.sqrt(sq / 10_000)).isCloseTo(0.5, within(0.02));
    Tensor again = Tensor.zeros(100, 100);
    new GaussianNoise(new GaussianNoise.Params(0.5), new RandomStream(4)).apply(again);
    assertThat(again.data()).containsExactly(a.data());
  }
}
