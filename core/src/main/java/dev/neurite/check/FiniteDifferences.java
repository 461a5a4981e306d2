package dev.neurite.check;

import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences against analytic gradients. Tensors are float32, so the step is 1e-3,
 * every objective is accumulated in double, and a gradient passes within 2e-3 + 1% of its size: far
 * below the error of a real mistake (a wrong sign, factor or index is off by order 1).
 */
public final class FiniteDifferences {
  static final float EPS = 1e-3f;
  static final double ABS_TOL = 2e-3;
  static final double REL_TOL = 1e-2;
  /** Probes per tensor at most; large tensors are sampled at an even stride. */
  static final int PROBES = 64;

  private FiniteDifferences() {}

  /** Random values in ±[0.2, 1.2]: away from 0, where ReLU-like functions have their kink. */
  public static Tensor awayFromZero(Shape shape, long seed) {
    RandomStream r = new RandomStream(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      float v = 0.2f + r.nextFloat();
      t.set(i, r.nextFloat() < 0.5f ? -v : v);
    }
    return t;
  }

  /**
   * Perturbs elements of {@code variable} in place (restoring each) and compares
   * d(objective)/d(element) with {@code analytic}.
   */
  public static void compare(String what, Tensor variable, Tensor analytic, DoubleSupplier objective) {
    Check.require(analytic.size() == variable.size(),
        "gradient for " + what + " has " + analytic.size() + " elements, the variable has " + variable.size());
    float[] v = variable.data();
    int step = Math.max(1, v.length / PROBES);
    for (int i = 0; i < v.length; i += step) {
      float saved = v[i];
      v[i] = saved + EPS;
      double plus = objective.getAsDouble();
      v[i] = saved - EPS;
      double minus = objective.getAsDouble();
      v[i] = saved;
      double numeric = (plus - minus) / (2.0 * EPS);
      double a = analytic.get(i);
      double allowed = ABS_TOL + REL_TOL * Math.max(Math.abs(a), Math.abs(numeric));
      if (!(Math.abs(a - numeric) <= allowed)) {
        throw new AssertionError(String.format(Locale.ROOT,
            "d/d %s[%d]: backward gives %.6g but finite differences give %.6g", what, i, a, numeric));
      }
    }
  }

  static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) s += (double) a.get(i) * b.get(i);
    return s;
  }
}
