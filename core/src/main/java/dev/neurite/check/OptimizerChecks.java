package dev.neurite.check;

import static dev.neurite.check.Check.require;

import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The contract every {@link Optimizer} must meet, on the quadratic f(w) = sum 0.5 a_i (w_i - c_i)^2
 * over two params (a weight that decays and a bias that does not), starting from w = 0.
 */
public final class OptimizerChecks {
  private static final String REPEATABLE = "the same gradients give the same updates";

  private OptimizerChecks() {}

  /** {@code steps}: enough for the optimizer, as configured, to reach 1% of the starting value. */
  public static List<Check> of(Supplier<Optimizer> factory, int steps) {
    return of(factory, steps, List.of());
  }

  /** The checks above, and one per {@code known} list of first updates the optimizer must reproduce. */
  public static List<Check> of(Supplier<Optimizer> factory, int steps, List<KnownUpdates> known) {
    List<Check> checks = new ArrayList<>(List.of(
        new Check(REPEATABLE, () -> repeatable(factory)),
        new Check("descends a quadratic to 1% of its starting value in " + steps + " steps", () -> descends(factory.get(), steps)),
        new Check("state saves and loads", () -> state(factory), List.of(REPEATABLE))));
    for (int i = 0; i < known.size(); i++) {
      KnownUpdates updates = known.get(i);
      checks.add(new Check("reproduces known updates " + (i + 1) + " (" + updates.steps().size() + " steps)",
          () -> reproduces(factory.get(), updates), List.of(REPEATABLE)));
    }
    return List.copyOf(checks);
  }

  static void reproduces(Optimizer opt, KnownUpdates known) {
    Param p = new Param("layers.0." + (known.decays() ? "weight" : "bias"), Tensor.wrap(known.start().clone(), known.start().length),
        Tensor.zeros(known.start().length), known.decays());
    List<Param> params = List.of(p);
    StepInfo info = new StepInfo(1, 1);
    for (int s = 0; s < known.steps().size(); s++) {
      KnownUpdates.Step step = known.steps().get(s);
      System.arraycopy(step.gradient(), 0, p.grad().data(), 0, step.gradient().length);
      info.set(s + 1, 1, 1.0);
      opt.step(params, info);
      float[] actual = p.value().data();
      for (int i = 0; i < actual.length; i++) {
        float expected = step.expected()[i];
        require(Math.abs(actual[i] - expected) <= known.tolerance() * Math.max(1.0, Math.abs(expected)),
            "after step " + (s + 1) + ", value[" + i + "] is " + actual[i] + " where " + expected + " is known to be right"
                + " (gradient " + step.gradient()[i] + ")");
      }
    }
  }

  private record Problem(List<Param> params, float[] a, float[] c) {
    static Problem create() {
      RandomStream r = new RandomStream(7);
      Param w = new Param("layers.0.weight", Tensor.zeros(3, 4), Tensor.zeros(3, 4), true);
      Param b = new Param("layers.0.bias", Tensor.zeros(3), Tensor.zeros(3), false);
      float[] a = new float[15];
      float[] c = new float[15];
      for (int i = 0; i < 15; i++) {
        a[i] = 0.5f + 1.5f * r.nextFloat();
        c[i] = 2f * r.nextFloat() - 1f;
      }
      return new Problem(List.of(w, b), a, c);
    }

    /** Sets the gradients; returns f(w). */
    double gradients() {
      double f = 0;
      int k = 0;
      for (Param p : params) {
        float[] w = p.value().data();
        float[] g = p.grad().data();
        for (int i = 0; i < w.length; i++, k++) {
          float d = w[i] - c[k];
          g[i] = a[k] * d;
          f += 0.5 * a[k] * d * d;
        }
      }
      return f;
    }

    void run(Optimizer opt, int from, int steps) {
      for (int s = from; s < from + steps; s++) {
        gradients();
        opt.step(params, new StepInfo(s + 1, 1));
      }
    }

    float[] values() {
      float[] w = params.get(0).value().data();
      float[] b = params.get(1).value().data();
      float[] all = Arrays.copyOf(w, w.length + b.length);
      System.arraycopy(b, 0, all, w.length, b.length);
      return all;
    }
  }

  static void descends(Optimizer opt, int steps) {
    Problem p = Problem.create();
    double start = p.gradients();
    p.run(opt, 0, steps);
    double end = p.gradients();
    require(Double.isFinite(end) && end <= 0.01 * start,
        "after " + steps + " steps f went from " + start + " to " + end + " (expected at most 1% of the start)");
  }

  static void repeatable(Supplier<Optimizer> factory) {
    Problem a = Problem.create();
    Problem b = Problem.create();
    a.run(factory.get(), 0, 10);
    b.run(factory.get(), 0, 10);
    require(Arrays.equals(a.values(), b.values()), "two optimizers given the same gradients ended with different params");
  }

  static void state(Supplier<Optimizer> factory) {
    Problem a = Problem.create();
    Optimizer first = factory.get();
    a.run(first, 0, 5);
    Problem b = Problem.create();
    for (int i = 0; i < 2; i++) {
      System.arraycopy(a.params().get(i).value().data(), 0, b.params().get(i).value().data(), 0, a.params().get(i).value().size());
    }
    Optimizer second = factory.get();
    second.load(first.state());
    a.run(first, 5, 5);
    b.run(second, 5, 5);
    require(Arrays.equals(a.values(), b.values()),
        "an optimizer loaded from another's state() continued differently: its state is incomplete");
  }
}
