package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.Initializer;
import dev.neurite.spi.RandomStream;
import dev.neurite.standard.initializers.HeNormal;
import dev.neurite.standard.initializers.HeUniform;
import dev.neurite.standard.initializers.VarianceScaling;
import dev.neurite.standard.initializers.XavierNormal;
import dev.neurite.standard.initializers.XavierUniform;
import dev.neurite.standard.initializers.Zeros;
import dev.neurite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each initializer's bounds and variance, as in Glorot & Bengio (2010) and He et al. (2015). */
class InitializersTest {
  private static final int FAN_IN = 300;
  private static final int FAN_OUT = 100;

  private static double[] moments(Initializer init) {
    Tensor t = Tensor.zeros(FAN_OUT, FAN_IN);
    init.initialize(t, FAN_IN, FAN_OUT);
    double sum = 0, sq = 0, maxAbs = 0;
    for (float v : t.data()) {
      sum += v;
      sq += (double) v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    int n = t.size();
    return new double[] {sum / n, sq / n - (sum / n) * (sum / n), maxAbs};
  }

  @Test
  void xavierUniform() {
    double a = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
    double[] m = moments(new XavierUniform(new VarianceScaling.Params(1.0), new RandomStream(1)));
    assertThat(m[0]).isCloseTo(0, within(0.003));
    assertThat(m[1]).isCloseTo(a * a / 3, within(a * a / 3 * 0.03));
    assertThat(m[2]).isLessThanOrEqualTo(a).isGreaterThan(0.99 * a);
  }

  @Test
  void xavierNormal() {
    double var = 2.0 / (FAN_IN + FAN_OUT);
    double[] m = moments(new XavierNormal(new VarianceScaling.Params(1.0), new RandomStream(2)));
    assertThat(m[1]).isCloseTo(var, within(var * 0.03));
  }

  @Test
  void heUniformAndNormalScaleWithFanIn() {
    double var = 2.0 / FAN_IN;
    assertThat(moments(new HeUniform(new VarianceScaling.Params(1.0), new RandomStream(3)))[1]).isCloseTo(var, within(var * 0.03));
    assertThat(moments(new HeNormal(new VarianceScaling.Params(1.0), new RandomStream(4)))[1]).isCloseTo(var, within(var * 0.03));
    double gained = 4 * var;
    assertThat(moments(new HeNormal(new VarianceScaling.Params(2.0), new RandomStream(4)))[1]).isCloseTo(gained, within(gained * 0.03));
  }

  @Test
  void zerosAndDeterminism() {
    assertThat(moments(new Zeros())).containsExactly(0, 0, 0);
    Tensor a = Tensor.zeros(10);
    Tensor b = Tensor.zeros(10);
    new HeNormal(new VarianceScaling.Params(1.0), new RandomStream(9)).initialize(a, 10, 10);
    new HeNormal(new VarianceScaling.Params(1.0), new RandomStream(9)).initialize(b, 10, 10);
    assertThat(a.data()).isEqualTo(b.data());
  }

  @Test
  void lecunScalesWithFanInAlone() {
    double var = 1.0 / FAN_IN;
    assertThat(moments(new dev.neurite.standard.initializers.LecunUniform(new VarianceScaling.Params(1.0), new RandomStream(5)))[1])
        .isCloseTo(var, within(var * 0.03));
    assertThat(moments(new dev.neurite.standard.initializers.LecunNormal(new VarianceScaling.Params(1.0), new RandomStream(6)))[1])
        .isCloseTo(var, within(var * 0.03));
  }

  @Test
  void simpleDistributions() {
    double[] u = moments(new dev.neurite.standard.initializers.Uniform(new dev.neurite.standard.initializers.Uniform.Params(-0.5, 1.5),
        new RandomStream(7)));
    assertThat(u[0]).isCloseTo(0.5, within(0.01));
    assertThat(u[1]).isCloseTo(4.0 / 12, within(0.01));
    double[] n = moments(new dev.neurite.standard.initializers.Normal(new dev.neurite.standard.initializers.Normal.Params(1, 0.2),
        new RandomStream(8)));
    assertThat(n[0]).isCloseTo(1, within(0.002));
    assertThat(n[1]).isCloseTo(0.04, within(0.04 * 0.03));
    Tensor t = Tensor.zeros(FAN_OUT, FAN_IN);
    new dev.neurite.standard.initializers.TruncatedNormal(new dev.neurite.standard.initializers.Normal.Params(0, 0.1), new RandomStream(9))
        .initialize(t, FAN_IN, FAN_OUT);
    for (float v : t.data()) assertThat(Math.abs(v)).isLessThanOrEqualTo(0.2f);
    // a normal truncated at 2 std has variance 0.774 std^2
    assertThat(moments(new dev.neurite.standard.initializers.TruncatedNormal(new dev.neurite.standard.initializers.Normal.Params(0, 0.1),
        new RandomStream(9)))[1]).isCloseTo(0.774 * 0.01, within(0.0003));
    Tensor c = Tensor.zeros(3);
    new dev.neurite.standard.initializers.Constant(new dev.neurite.standard.initializers.Constant.Params(0.25)).initialize(c, 1, 1);
    assertThat(c.data()).containsExactly(0.25f, 0.25f, 0.25f);
  }

  @Test
  void orthogonalRowsOrColumnsAreOrthonormal() {
    for (int[] shape : new int[][] {{4, 7}, {7, 4}, {5, 5}}) {
      Tensor w = Tensor.zeros(shape);
      new dev.neurite.standard.initializers.Orthogonal(new dev.neurite.standard.initializers.Orthogonal.Params(2.0), new RandomStream(3))
          .initialize(w, shape[1], shape[0]);
      int rows = shape[0];
      int cols = shape[1];
      boolean byRows = rows <= cols;
      int n = Math.min(rows, cols);
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double dot = 0;
          for (int k = 0; k < (byRows ? cols : rows); k++) {
            dot += byRows ? (double) w.get(a * cols + k) * w.get(b * cols + k) : (double) w.get(k * cols + a) * w.get(k * cols + b);
          }
          assertThat(dot).as("shape %dx%d, vectors %d, %d", rows, cols, a, b).isCloseTo(a == b ? 4.0 : 0.0, within(1e-5));
        }
      }
    }
  }
}
