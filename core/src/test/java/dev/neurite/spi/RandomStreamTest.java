package dev.neurite.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamTest {
  @Test
  void isSplitMix64AsInTheJdk() {
    // java.util.SplittableRandom(seed) uses the same SplitMix64 generator: an independent reference
    for (long seed : new long[] {0, 42, -7, 1234567}) {
      RandomStream ours = new RandomStream(seed);
      SplittableRandom jdk = new SplittableRandom(seed);
      for (int i = 0; i < 100; i++) assertThat(ours.nextLong()).isEqualTo(jdk.nextLong());
    }
  }

  @Test
  void derivedStreamsDependOnSeedAndPathOnly() {
    long a = RandomStream.derive(42, "model.layers[0]").nextLong();
    assertThat(RandomStream.derive(42, "model.layers[0]").nextLong()).isEqualTo(a);
    assertThat(RandomStream.derive(42, "model.layers[1]").nextLong()).isNotEqualTo(a);
    assertThat(RandomStream.derive(43, "model.layers[0]").nextLong()).isNotEqualTo(a);
  }

  @Test
  void uniformAndGaussianHaveTheirMoments() {
    RandomStream r = new RandomStream(1);
    int n = 200_000;
    double sum = 0, sq = 0, gsum = 0, gsq = 0;
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
      sum += u;
      sq += u * u;
      double g = r.nextGaussian();
      gsum += g;
      gsq += g * g;
    }
    assertThat(sum / n).isCloseTo(0.5, within(0.005));
    assertThat(sq / n - Math.pow(sum / n, 2)).isCloseTo(1.0 / 12, within(0.002));
    assertThat(gsum / n).isCloseTo(0, within(0.01));
    assertThat(gsq / n).isCloseTo(1, within(0.01));
  }

  @Test
  void nextIntCoversItsRangeEvenly() {
    RandomStream r = new RandomStream(5);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
    for (int c : counts) assertThat(c).isBetween(9_600, 10_400);
  }

  @Test
  void shuffleIsAPermutationAndStateRestores() {
    RandomStream r = new RandomStream(9);
    long saved = r.state();
    int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    r.shuffle(a);
    assertThat(Arrays.stream(a).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(a).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    r.restore(saved);
    int[] b = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    r.shuffle(b);
    assertThat(b).isEqualTo(a);
  }
}
