package dev.neurite.check;

import static dev.neurite.check.Check.require;

import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;

/** The contract every {@link Regularizer} must meet. */
public final class RegularizerChecks {
  private RegularizerChecks() {}

  public static List<Check> of(Supplier<Regularizer> factory) {
    return List.of(
        new Check("gradients match finite differences of the penalty", () -> gradients(factory.get())),
        new Check("params that do not decay (biases) are left alone", () -> biases(factory.get())),
        new Check("the constraint is a projection: applying it twice changes nothing more", () -> projection(factory.get())));
  }

  static void projection(Regularizer reg) {
    List<Param> params = params();
    for (Param p : params) for (int i = 0; i < p.value().size(); i++) p.value().set(i, p.value().get(i) * 5f);
    reg.constrain(params);
    float[] once = params.get(0).value().data().clone();
    reg.constrain(params);
    float[] twice = params.get(0).value().data();
    for (int i = 0; i < once.length; i++) {
      require(Math.abs(once[i] - twice[i]) <= 1e-6f * Math.max(1f, Math.abs(once[i])),
          "constraining twice moved weight[" + i + "] from " + once[i] + " to " + twice[i]);
    }
  }

  private static List<Param> params() {
    Param w = new Param("layers.0.weight", FiniteDifferences.awayFromZero(Shape.of(3, 4), 1), Tensor.zeros(3, 4), true);
    Param b = new Param("layers.0.bias", FiniteDifferences.awayFromZero(Shape.of(3), 2), Tensor.zeros(3), false);
    return List.of(w, b);
  }

  static void gradients(Regularizer reg) {
    List<Param> params = params();
    reg.addGradient(params);
    for (Param p : params) FiniteDifferences.compare(p.name(), p.value(), p.grad().copy(), () -> reg.penalty(params));
  }

  static void biases(Regularizer reg) {
    List<Param> params = params();
    reg.addGradient(params);
    for (float g : params.get(1).grad().data()) require(g == 0f, "the bias gradient changed to " + g);
    double withBias = reg.penalty(params);
    params.get(1).value().fill(100f);
    require(reg.penalty(params) == withBias, "the penalty depends on the bias");
    reg.constrain(params);
    for (float v : params.get(1).value().data()) require(v == 100f, "constrain changed a bias to " + v);
  }
}
