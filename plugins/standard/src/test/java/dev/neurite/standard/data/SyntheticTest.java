package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.RandomStream;
import org.junit.jupiter.api.Test;

class SyntheticTest {
  private static Dataset.InMemory make(Synthetic.Kind kind, int n, double noise, int classes, int features, long seed) {
    return new Synthetic(new Synthetic.Params(kind, n, noise, classes, features, 2, 20), new RandomStream(seed)).load().materialize();
  }

  @Test
  void theSameSeedGivesTheSameDataAndAnotherSeedDoesNot() {
    for (Synthetic.Kind k : Synthetic.Kind.values()) {
      assertThat(make(k, 50, 0.1, 3, 2, 7).features().data()).as(k.name()).containsExactly(make(k, 50, 0.1, 3, 2, 7).features().data());
      assertThat(make(k, 50, 0.1, 3, 2, 7).features().data()).as(k.name()).isNotEqualTo(make(k, 50, 0.1, 3, 2, 8).features().data());
    }
  }

  @Test
  void twoMoonsWithoutNoiseLieOnScikitLearnsHalfCircles() {
    Dataset.InMemory d = make(Synthetic.Kind.TWO_MOONS, 10, 0, 2, 2, 1);
    float[] x = d.features().data();
    float[] y = d.targets().data();
    for (int i = 0; i < 10; i++) {
      double a = x[2 * i];
      double b = x[2 * i + 1];
      if (y[i] == 0) assertThat(a * a + b * b).isCloseTo(1, within(1e-6)); // outer: unit circle, upper half
      else assertThat((a - 1) * (a - 1) + (b - 0.5) * (b - 0.5)).isCloseTo(1, within(1e-6)); // inner: centre (1, 0.5)
    }
    assertThat(x[0]).isEqualTo(1f); // t = 0 on the outer moon: (cos 0, sin 0)
  }

  @Test
  void xorLabelsFollowTheQuadrantsWithoutNoise() {
    Dataset.InMemory d = make(Synthetic.Kind.XOR, 200, 0, 2, 2, 3);
    for (int i = 0; i < 200; i++) {
      boolean expected = (d.features().data()[2 * i] > 0) != (d.features().data()[2 * i + 1] > 0);
      assertThat(d.targets().data()[i]).isEqualTo(expected ? 1f : 0f);
    }
  }

  @Test
  void blobsAndSpiralsHaveBalancedClassesAndRegressionIsExactlyLinearWithoutNoise() {
    Dataset.InMemory blobs = make(Synthetic.Kind.BLOBS, 300, 1, 3, 5, 1);
    assertThat(blobs.sampleShape().dims()).containsExactly(5);
    int[] counts = new int[3];
    for (float v : blobs.targets().data()) counts[(int) v]++;
    assertThat(counts).containsExactly(100, 100, 100);
    Dataset.InMemory spirals = make(Synthetic.Kind.SPIRALS, 300, 0.2, 4, 2, 1);
    assertThat(spirals.targets().data()).contains(0, 1, 2, 3).doesNotContain(4);

    // y = x.w + b: with 4 features, any 5 samples determine (w, b); the 6th must fit them exactly
    Dataset.InMemory r = make(Synthetic.Kind.REGRESSION, 6, 0, 2, 4, 5);
    double[][] a = new double[5][6];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 4; j++) a[i][j] = r.features().data()[i * 4 + j];
      a[i][4] = 1;
      a[i][5] = r.targets().data()[i];
    }
    double[] wb = solve(a);
    double predicted = wb[4];
    for (int j = 0; j < 4; j++) predicted += wb[j] * r.features().data()[20 + j];
    assertThat(predicted).isCloseTo(r.targets().data()[5], within(1e-3));
  }

  /** Gauss-Jordan elimination with partial pivoting on an n x (n+1) system. */
  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      double[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      for (int r = 0; r < n; r++) {
        if (r == c) continue;
        double f = a[r][c] / a[c][c];
        for (int k = c; k <= n; k++) a[r][k] -= f * a[c][k];
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
    return x;
  }

  @Test
  void addingMarksOneStepInEachHalfAndItsTargetIsTheirSumWithVarianceOneSixth() {
    int n = 20_000;
    Dataset.InMemory d = make(Synthetic.Kind.ADDING, n, 0, 2, 2, 9);
    assertThat(d.sampleShape().dims()).containsExactly(20, 2);
    float[] x = d.features().data();
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      int firstHalf = 0;
      int secondHalf = 0;
      double marked = 0;
      for (int t = 0; t < 20; t++) {
        float value = x[(i * 20 + t) * 2];
        float marker = x[(i * 20 + t) * 2 + 1];
        assertThat(value).isBetween(0f, 1f);
        assertThat(marker).isIn(0f, 1f);
        if (marker == 1) {
          if (t < 10) firstHalf++;
          else secondHalf++;
          marked += value;
        }
      }
      assertThat(firstHalf).isEqualTo(1);
      assertThat(secondHalf).isEqualTo(1);
      float y = d.targets().data()[i];
      assertThat(y).isEqualTo((float) marked, within(1e-6f));
      sum += y;
      squares += y * y;
    }
    double mean = sum / n;
    // the sum of two uniform values: mean 1, variance 2/12, what predicting the mean scores as MSE
    assertThat(mean).isCloseTo(1, within(0.01));
    assertThat(squares / n - mean * mean).isCloseTo(1.0 / 6, within(0.005));
  }

  @Test
  void parityIsTheSumOfTheBitsModuloTwo() {
    Dataset.InMemory d = make(Synthetic.Kind.PARITY, 500, 0, 2, 1, 4);
    assertThat(d.sampleShape().dims()).containsExactly(20, 1);
    int odd = 0;
    for (int i = 0; i < 500; i++) {
      int ones = 0;
      for (int t = 0; t < 20; t++) {
        float bit = d.features().data()[i * 20 + t];
        assertThat(bit).isIn(0f, 1f);
        ones += (int) bit;
      }
      assertThat(d.targets().data()[i]).isEqualTo(ones % 2);
      odd += ones % 2;
    }
    assertThat(odd).isBetween(200, 300);
  }

  @Test
  void copyMemoryAsksForTheTenSymbolsAfterTheDelimiter() {
    Dataset.InMemory d = make(Synthetic.Kind.COPY_MEMORY, 30, 0, 2, 2, 4); // length 20: 40 steps
    assertThat(d.sampleShape().dims()).containsExactly(40);
    assertThat(d.targetShape().dims()).containsExactly(40);
    for (int i = 0; i < 30; i++) {
      float[] x = java.util.Arrays.copyOfRange(d.features().data(), i * 40, (i + 1) * 40);
      float[] y = java.util.Arrays.copyOfRange(d.targets().data(), i * 40, (i + 1) * 40);
      for (int t = 0; t < 10; t++) {
        assertThat(x[t]).isBetween(1f, 8f);
        assertThat(y[30 + t]).isEqualTo(x[t]);
      }
      for (int t = 10; t < 40; t++) assertThat(x[t]).isEqualTo(t == 29 ? 9f : 0f);
      for (int t = 0; t < 30; t++) assertThat(y[t]).isZero();
    }
  }
}
