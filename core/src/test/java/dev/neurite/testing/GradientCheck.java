package dev.neurite.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.nn.Model;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Regularizer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Finite-difference gradient checks for layers, losses and regularizers. The tensors are float32,
 * so the checks use central differences with a step of 1e-3 and accumulate in double; the
 * tolerance (2e-3 absolute plus 1e-2 relative) is far below the size of any real mistake
 * (a wrong sign, factor or index gives errors of order 1).
 */
public final class GradientCheck {
  private static final float EPS = 1e-3f;
  private static final double ABS_TOL = 2e-3;
  private static final double REL_TOL = 1e-2;

  private GradientCheck() {}

  /** Random values in ±[0.2, 1.2]: away from 0, where ReLU-like functions have their kink. */
  public static Tensor input(Shape shape, long seed) {
    RandomStream r = new RandomStream(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      float v = 0.2f + r.nextFloat();
      t.set(i, r.nextFloat() < 0.5f ? -v : v);
    }
    return t;
  }

  /**
   * Checks d(objective)/d(input) and d(objective)/d(param) of {@code layer}, built for
   * {@code sampleShape}, where objective = sum(r * layer(x)) for a fixed random r.
   * {@code beforeForward} runs before every forward pass (e.g. to replay a dropout mask).
   */
  public static void layer(Layer layer, Shape sampleShape, int batch, Pass pass, Runnable beforeForward) {
    Model model = new Model(List.of(layer));
    Shape out = model.build(sampleShape, List.of("layer"));
    Tensor x = input(sampleShape.prepend(batch), 11);
    Tensor r = input(out.prepend(batch), 12);
    DoubleSupplier objective = () -> {
      beforeForward.run();
      return dot(model.forward(x, pass), r);
    };

    beforeForward.run();
    model.forward(x, pass);
    model.zeroGrad();
    Tensor gradInput = model.backward(r.copy()).copy();
    compare("input", x, gradInput, objective);
    for (Param p : model.params()) {
      compare(p.name(), p.value(), p.grad().copy(), objective);
    }
  }

  /** Checks d(loss)/d(output) of {@code loss} at {@code output} for {@code target}. */
  public static void loss(Loss loss, Tensor output, Tensor target) {
    loss.forward(output, target);
    Tensor analytic = loss.backward().copy();
    compare("output", output, analytic, () -> loss.forward(output, target));
  }

  /** Checks a regularizer's gradient against its penalty. */
  public static void regularizer(Regularizer reg, List<Param> params) {
    params.forEach(Param::zeroGrad);
    reg.addGradient(params);
    for (Param p : params) compare(p.name(), p.value(), p.grad().copy(), () -> reg.penalty(params));
  }

  private static void compare(String what, Tensor variable, Tensor analytic, DoubleSupplier f) {
    float[] v = variable.data();
    int step = Math.max(1, v.length / 64); // at most ~64 probes per tensor
    for (int i = 0; i < v.length; i += step) {
      float saved = v[i];
      v[i] = saved + EPS;
      double plus = f.getAsDouble();
      v[i] = saved - EPS;
      double minus = f.getAsDouble();
      v[i] = saved;
      double numeric = (plus - minus) / (2.0 * EPS);
      double a = analytic.get(i);
      assertThat(Math.abs(a - numeric))
          .as("d/d %s[%d]: analytic %s vs numeric %s", what, i, a, numeric)
          .isLessThanOrEqualTo(ABS_TOL + REL_TOL * Math.max(Math.abs(a), Math.abs(numeric)));
    }
  }

  private static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) s += (double) a.get(i) * b.get(i);
    return s;
  }
}
