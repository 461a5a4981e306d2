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
}
