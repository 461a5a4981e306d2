package dev.neurite.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.check.Check;
import dev.neurite.check.KnownUpdates;
import dev.neurite.check.LayerChecks;
import dev.neurite.check.LossChecks;
import dev.neurite.check.OptimizerChecks;
import dev.neurite.check.RegularizerChecks;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Regularizer;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each check fails, with a useful message, on a component that breaks its property. */
class KitCatchesBugsTest {
  private static Map<String, Optional<String>> run(List<Check> checks) {
    Map<String, Optional<String>> results = new LinkedHashMap<>();
    Check.Sequence sequence = new Check.Sequence();
    for (Check c : checks) results.put(c.name(), sequence.run(c).failure());
    return results;
  }

  /** y = scale * x elementwise, with one learned scale per feature; bugs are switched on by flags. */
  static class Scale implements Layer {
    boolean wrongGradient;
    boolean wrongShape;
    boolean mixesRows;
    boolean ownRandomness;
    /** Hidden state: every forward pass adds a little more than the one before. */
    boolean drifts;
    float drift;
    final RandomStream random;
    Param scale;
    Tensor input;
    Tensor output;

    Scale(RandomStream random) {
      this.random = random;
    }

    public Shape build(Shape in, BuildContext ctx) {
      scale = ctx.param("scale", in, true);
      RandomStream init = ownRandomness ? new RandomStream(System.nanoTime()) : random;
      for (int i = 0; i < scale.value().size(); i++) scale.value().set(i, 0.5f + init.nextFloat());
      return wrongShape ? Shape.of(in.size() + 1) : in;
    }

    public Tensor forward(Tensor x, Pass pass) {
      input = x;
      output = Tensor.zeros(x.shape());
      int w = x.rowSize();
      float shift = 0;
      if (mixesRows) for (float v : x.data()) shift += v / x.size();
      if (drifts) shift = drift += 0.01f;
      for (int i = 0; i < x.size(); i++) output.set(i, x.get(i) * scale.value().get(i % w) + shift);
      return output;
    }

    public Tensor backward(Tensor g) {
      int w = g.rowSize();
      Tensor gi = Tensor.zeros(g.shape());
      for (int i = 0; i < g.size(); i++) {
        gi.set(i, g.get(i) * scale.value().get(i % w) * (wrongGradient ? 1.1f : 1f));
        scale.grad().data()[i % w] += g.get(i) * input.get(i);
      }
      return gi;
    }
  }

  @Test
  void aCorrectLayerPassesEveryCheck() {
    assertThat(run(LayerChecks.of(Scale::new, Shape.of(4), 3)).values()).allMatch(Optional::isEmpty);
  }

  @Test
  void layerBugsAreCaught() {
    Map<String, Optional<String>> gradient = run(LayerChecks.of(r -> { Scale s = new Scale(r); s.wrongGradient = true; return s; }, Shape.of(4), 3));
    assertThat(gradient.get("gradients match finite differences (inference)")).get().asString()
        .startsWith("d/d input[0]: backward gives");

    Map<String, Optional<String>> shape = run(LayerChecks.of(r -> { Scale s = new Scale(r); s.wrongShape = true; return s; }, Shape.of(4), 3));
    assertThat(shape.get("build declares the shape forward produces")).get().asString()
        .isEqualTo("build returned [5] per sample, but forward (TRAINING) produced [3, 4] for a batch of 3");

    Map<String, Optional<String>> rows = run(LayerChecks.of(r -> { Scale s = new Scale(r); s.mixesRows = true; return s; }, Shape.of(4), 3));
    assertThat(rows.get("inference is repeatable and rows are independent")).get().asString()
        .startsWith("at inference, row 2 gives");

    Map<String, Optional<String>> seeded = run(LayerChecks.of(r -> { Scale s = new Scale(r); s.ownRandomness = true; return s; }, Shape.of(4), 3));
    assertThat(seeded.get("the same seed gives the same params and training outputs")).get().asString()
        .isEqualTo("two layers built with the same seed initialize 'layers.0.scale' differently");
  }

  @Test
  void aLayerWithHiddenStateFailsRepeatabilityFirstAndTheGradientChecksPointAtIt() {
    List<Check> checks = LayerChecks.of(r -> { Scale s = new Scale(r); s.drifts = true; return s; }, Shape.of(4), 3);
    Map<String, Optional<String>> r = run(checks);
    List<String> failed = r.entrySet().stream().filter(e -> e.getValue().isPresent()).map(Map.Entry::getKey).toList();
    assertThat(failed.get(0)).isEqualTo("inference is repeatable and rows are independent");
    assertThat(r.get("inference is repeatable and rows are independent")).get().asString()
        .isEqualTo("two inference passes over the same input gave different outputs");
    assertThat(r.get("gradients match finite differences (inference)")).get().asString()
        .startsWith("after 'inference is repeatable and rows are independent' failed (likely the cause): d/d ");
  }

  @Test
  void theKitsJUnitFailuresStartWithTheCheckName() {
    List<Check> checks = LayerChecks.of(r -> { Scale s = new Scale(r); s.wrongGradient = true; return s; }, Shape.of(4), 3);
    List<String> failures = new java.util.ArrayList<>();
    Contracts.tests(checks).forEach(t -> {
      try {
        t.getExecutable().execute();
      } catch (Throwable e) {
        failures.add(e.getMessage());
      }
    });
    assertThat(failures).hasSize(2);
    assertThat(failures.get(0)).startsWith("gradients match finite differences (inference): d/d input[0]: backward gives");
    assertThat(failures.get(1)).startsWith("gradients match finite differences (training): d/d input[0]: backward gives");
  }

  @Test
  void lossBugsAreCaught() {
    Tensor out = Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor target = Tensor.wrap(new float[] {0, 0, 0, 0}, 2, 2);
    Loss summed = new Loss() { // sums over the batch instead of averaging, and forgets the factor 2
      Tensor o;
      public double forward(Tensor output, Tensor t) {
        o = output;
        double s = 0;
        for (float v : output.data()) s += v * v;
        return s;
      }
      public Tensor backward() { return o.copy(); }
    };
    Map<String, Optional<String>> r = run(LossChecks.of(() -> summed, out, target));
    assertThat(r.get("gradients match finite differences")).get().asString().startsWith("d/d output[0]: backward gives 1.00000 but finite differences give 2.0");
    assertThat(r.get("the loss is the mean over the batch")).get().asString().isEqualTo("the batch loss 30.0 is not the mean of the per-row losses (15.0)");
  }

  /** Momentum SGD that keeps its buffers but does not report them. */
  static class ForgetfulMomentum implements Optimizer {
    final Map<String, float[]> v = new HashMap<>();
    final float lr;

    ForgetfulMomentum(float lr) {
      this.lr = lr;
    }

    public void step(List<Param> params, StepInfo step) {
      for (Param p : params) {
        float[] buf = v.computeIfAbsent(p.name(), k -> new float[p.value().size()]);
        for (int i = 0; i < buf.length; i++) {
          buf[i] = 0.9f * buf[i] + p.grad().get(i);
          p.value().data()[i] -= lr * buf[i];
        }
      }
    }
  }

  @Test
  void optimizerBugsAreCaught() {
    Map<String, Optional<String>> forgetful = run(OptimizerChecks.of(() -> new ForgetfulMomentum(0.05f), 300));
    assertThat(forgetful.get("descends a quadratic to 1% of its starting value in 300 steps")).isEmpty();
    assertThat(forgetful.get("state saves and loads")).get().asString()
        .isEqualTo("an optimizer loaded from another's state() continued differently: its state is incomplete");
    Map<String, Optional<String>> diverging = run(OptimizerChecks.of(() -> new ForgetfulMomentum(5f), 300));
    assertThat(diverging.get("descends a quadratic to 1% of its starting value in 300 steps")).get().asString()
        .startsWith("after 300 steps f went from");
  }

  /** Adam (lr 0.1, betas 0.9 / 0.999, eps 1e-8), optionally without its bias correction. */
  static class TinyAdam implements Optimizer {
    final boolean corrected;
    float[][] m;
    float[][] v;

    TinyAdam(boolean corrected) {
      this.corrected = corrected;
    }

    public void step(List<Param> params, StepInfo step) {
      if (m == null) {
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (int p = 0; p < params.size(); p++) {
          m[p] = new float[params.get(p).value().size()];
          v[p] = new float[params.get(p).value().size()];
        }
      }
      double c1 = corrected ? 1 - Math.pow(0.9, step.step()) : 1;
      double c2 = corrected ? 1 - Math.pow(0.999, step.step()) : 1;
      for (int p = 0; p < params.size(); p++) {
        float[] w = params.get(p).value().data();
        float[] g = params.get(p).grad().data();
        for (int i = 0; i < w.length; i++) {
          m[p][i] = 0.9f * m[p][i] + 0.1f * g[i];
          v[p][i] = 0.999f * v[p][i] + 0.001f * g[i] * g[i];
          w[i] -= (float) (0.1 * (m[p][i] / c1) / (Math.sqrt(v[p][i] / c2) + 1e-8));
        }
      }
    }
  }

  @Test
  void aMissingBiasCorrectionDescendsButFailsTheKnownUpdates() {
    // Adam's first step moves every value by lr * sign(g) (m_hat / sqrt(v_hat) = g / |g|)
    KnownUpdates first = KnownUpdates.of(new float[] {0.5f, -1f}, true).step(new float[] {0.2f, -3f}, new float[] {0.4f, -0.9f});
    String descends = "descends a quadratic to 1% of its starting value in 500 steps";
    Map<String, Optional<String>> right = run(OptimizerChecks.of(() -> new TinyAdam(true), 500, List.of(first)));
    assertThat(right.get(descends)).isEmpty();
    assertThat(right.get("reproduces known updates 1 (1 steps)")).isEmpty();
    Map<String, Optional<String>> r = run(OptimizerChecks.of(() -> new TinyAdam(false), 500, List.of(first)));
    assertThat(r.get(descends)).isEmpty();
    assertThat(r.get("reproduces known updates 1 (1 steps)")).get().asString()
        .isEqualTo("after step 1, value[0] is 0.18377271 where 0.4 is known to be right (gradient 0.2)");
  }

  @Test
  void regularizerBugsAreCaught() {
    Regularizer everything = new Regularizer() { // penalizes biases too, with a gradient twice too large
      public double penalty(List<Param> params) {
        double s = 0;
        for (Param p : params) for (float v : p.value().data()) s += 0.5 * v * v;
        return s;
      }
      public void addGradient(List<Param> params) {
        for (Param p : params) for (int i = 0; i < p.value().size(); i++) p.grad().data()[i] += 2 * p.value().get(i);
      }
    };
    Map<String, Optional<String>> r = run(RegularizerChecks.of(() -> everything));
    assertThat(r.get("gradients match finite differences of the penalty")).get().asString().startsWith("d/d layers.0.weight[0]");
    assertThat(r.get("params that do not decay (biases) are left alone")).get().asString().startsWith("the bias gradient changed to");
  }
}
