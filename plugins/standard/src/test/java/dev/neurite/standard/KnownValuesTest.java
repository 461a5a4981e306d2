package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Sigmoid;
import dev.neurite.standard.layers.Softmax;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.standard.losses.BinaryCrossEntropy;
import dev.neurite.standard.losses.MeanSquaredError;
import dev.neurite.standard.losses.NegativeLogLikelihood;
import dev.neurite.standard.losses.SoftmaxCrossEntropy;
import dev.neurite.standard.metrics.Accuracy;
import dev.neurite.standard.optimizers.Sgd;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Values computed by hand or known from PyTorch's documented formulas. */
class KnownValuesTest {
  @Test
  void softmaxCrossEntropyMatchesTheClosedForm() {
    // -log(e^3 / (e^1 + e^2 + e^3)) = 0.40760596..., PyTorch: F.cross_entropy([[1.,2.,3.]], [2])
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0));
    double value = loss.forward(Tensor.wrap(new float[] {1, 2, 3}, 1, 3), Tensor.wrap(new float[] {2}, 1, 1));
    assertThat(value).isCloseTo(0.4076059644, within(1e-6));
    assertThat(loss.backward().data()).containsExactly(new float[] {0.09003057f, 0.24472847f, 0.66524096f - 1f}, within(1e-6f));
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0));
    double value = loss.forward(Tensor.wrap(new float[] {1000, 0, -1000}, 1, 3), Tensor.wrap(new float[] {1}, 1, 1));
    assertThat(value).isCloseTo(1000.0, within(1e-3));
    assertThat(loss.backward().data()).containsExactly(new float[] {1, -1, 0}, within(1e-6f));
  }

  @Test
  void softmaxCrossEntropyChecksLabelsAgainstTheOutputWidth() {
    Tensor labels = Tensor.wrap(new float[] {0, 9, 3}, 3, 1);
    assertThatThrownBy(() -> new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0)).check(Shape.of(3), labels))
        .hasMessage("the labels go up to 9 (first at row 1) but the model scores 3 classes; the last layer needs units: 10");
    Tensor fractional = Tensor.wrap(new float[] {0.5f}, 1, 1);
    assertThatThrownBy(() -> new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0)).check(Shape.of(3), fractional))
        .hasMessage("row 0 has label 0.5; labels must be the class indices 0..2");
  }

  @Test
  void meanSquaredErrorAveragesOverEveryElement() {
    MeanSquaredError mse = new MeanSquaredError();
    double v = mse.forward(Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2), Tensor.wrap(new float[] {0, 2, 5, 4}, 2, 2));
    assertThat(v).isEqualTo((1 + 0 + 4 + 0) / 4.0);
    assertThat(mse.backward().data()).containsExactly(0.5f, 0f, -1f, 0f);
    assertThatThrownBy(() -> mse.check(Shape.of(10), Tensor.zeros(5, 1)))
        .hasMessageContaining("same shape; make the last layer output [1]");
  }

  @Test
  void sigmoidAndSoftmaxValues() {
    Tensor s = new Sigmoid().forward(Tensor.wrap(new float[] {0, 2, -100}, 1, 3), Pass.INFERENCE);
    assertThat(s.data()).containsExactly(new float[] {0.5f, 0.880797f, 3.7200760e-44f}, within(1e-6f));
    Tensor p = new Softmax().forward(Tensor.wrap(new float[] {1, 2, 3, 0, 0, 0}, 2, 3), Pass.INFERENCE);
    assertThat(p.data()).containsExactly(new float[] {0.09003057f, 0.24472847f, 0.66524096f, 1 / 3f, 1 / 3f, 1 / 3f}, within(1e-6f));
  }

  @Test
  void sgdWithMomentumFollowsPyTorchsUpdateRule() {
    // constant gradient 1, lr 0.1, momentum 0.9: v = 1, 1.9, 2.71 -> w = -0.1, -0.29, -0.561
    Param w = new Param("w", Tensor.zeros(1), Tensor.zeros(1), true);
    Sgd sgd = new Sgd(new Sgd.Params(0.1, 0.9, false));
    float[] expected = {-0.1f, -0.29f, -0.561f};
    for (int step = 0; step < 3; step++) {
      w.grad().fill(1f);
      sgd.step(List.of(w), new StepInfo(step + 1, 1));
      assertThat(w.value().get(0)).isCloseTo(expected[step], within(1e-6f));
    }
    // Nesterov: p -= lr * (g + momentum * v): -0.19, then v = 1.9: -0.19 - 0.1 * (1 + 1.71) = -0.461
    Param n = new Param("n", Tensor.zeros(1), Tensor.zeros(1), true);
    Sgd nesterov = new Sgd(new Sgd.Params(0.1, 0.9, true));
    float[] expectedN = {-0.19f, -0.461f};
    for (int step = 0; step < 2; step++) {
      n.grad().fill(1f);
      nesterov.step(List.of(n), new StepInfo(step + 1, 1));
      assertThat(n.value().get(0)).isCloseTo(expectedN[step], within(1e-6f));
    }
  }

  @Test
  void sgdDescendsAQuadratic() {
    // f(w) = 0.5 * |w - 3|^2, gradient w - 3
    Param w = new Param("w", Tensor.zeros(2), Tensor.zeros(2), true);
    Sgd sgd = new Sgd(new Sgd.Params(0.1, 0.5, false));
    for (int step = 1; step <= 200; step++) {
      for (int i = 0; i < 2; i++) w.grad().set(i, w.value().get(i) - 3f);
      sgd.step(List.of(w), new StepInfo(step, 1));
    }
    assertThat(w.value().data()).containsExactly(new float[] {3f, 3f}, within(1e-5f));
  }

  @Test
  void dropoutKeepsTheExpectedFractionAndScale() {
    Dropout d = new Dropout(new Dropout.Params(0.25), new RandomStream(1));
    Tensor ones = Tensor.zeros(1, 100_000).fill(1f);
    Tensor out = d.forward(ones, Pass.TRAINING);
    long kept = 0;
    for (float v : out.data()) {
      assertThat(v).isIn(0f, 1f / 0.75f);
      if (v != 0f) kept++;
    }
    assertThat(kept / 100_000.0).isCloseTo(0.75, within(0.01));
    assertThat(d.forward(ones, Pass.INFERENCE)).isSameAs(ones);
  }

  @Test
  void accuracyForClassIndicesOneHotAndSingleOutputs() {
    Accuracy acc = new Accuracy(new Accuracy.Params(0.5));
    acc.reset();
    acc.update(Tensor.wrap(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, 3, 2), Tensor.wrap(new float[] {1, 1, 1}, 3, 1), 0);
    assertThat(acc.value()).isEqualTo(2 / 3.0);
    acc.update(Tensor.wrap(new float[] {0.1f, 0.9f}, 1, 2), Tensor.wrap(new float[] {1, 0}, 1, 2), 0);
    assertThat(acc.value()).isEqualTo(2 / 4.0);
    acc.reset();
    acc.update(Tensor.wrap(new float[] {0.2f, 0.6f, 0.9f, 0.4f}, 4, 1), Tensor.wrap(new float[] {0, 1, 0, 1}, 4, 1), 0);
    assertThat(acc.value()).isEqualTo(0.5);
  }

  @Test
  void constraintsProjectEachUnitsWeights() {
    // dense weight [2 units, 2 inputs]: rows (3, 4) with norm 5 and (0.3, 0.4) with norm 0.5
    Param w = new Param("layers.0.weight", Tensor.wrap(new float[] {3, 4, 0.3f, 0.4f}, 2, 2), Tensor.zeros(2, 2), true);
    Param b = new Param("layers.0.bias", Tensor.wrap(new float[] {-7, 9}, 2), Tensor.zeros(2), false);
    var applyTo = dev.neurite.standard.regularizers.ApplyTo.WEIGHTS;
    new dev.neurite.standard.regularizers.MaxNorm(new dev.neurite.standard.regularizers.MaxNorm.Params(2, applyTo)).constrain(List.of(w, b));
    assertThat(w.value().data()).containsExactly(new float[] {1.2f, 1.6f, 0.3f, 0.4f}, within(1e-6f));
    new dev.neurite.standard.regularizers.UnitNorm(new dev.neurite.standard.regularizers.UnitNorm.Params(applyTo)).constrain(List.of(w, b));
    assertThat(w.value().data()).containsExactly(new float[] {0.6f, 0.8f, 0.6f, 0.8f}, within(1e-6f));
    Param v = new Param("layers.0.weight", Tensor.wrap(new float[] {-1, 2, -3}, 3), Tensor.zeros(3), true);
    new dev.neurite.standard.regularizers.NonNegative(new dev.neurite.standard.regularizers.NonNegative.Params(applyTo)).constrain(List.of(v, b));
    assertThat(v.value().data()).containsExactly(0, 2, 0);
    assertThat(b.value().data()).containsExactly(-7, 9); // biases untouched by default
    var all = dev.neurite.standard.regularizers.ApplyTo.ALL;
    new dev.neurite.standard.regularizers.NonNegative(new dev.neurite.standard.regularizers.NonNegative.Params(all)).constrain(List.of(v, b));
    assertThat(b.value().data()).containsExactly(0, 9);
  }

  @Test
  void penaltiesHaveTheirFormulas() {
    Param w = new Param("layers.0.weight", Tensor.wrap(new float[] {3, -4}, 2), Tensor.zeros(2), true);
    Param b = new Param("layers.0.bias", Tensor.wrap(new float[] {10}, 1), Tensor.zeros(1), false);
    var weights = dev.neurite.standard.regularizers.ApplyTo.WEIGHTS;
    assertThat(new dev.neurite.standard.regularizers.L1(new dev.neurite.standard.regularizers.L1.Params(0.1, weights)).penalty(List.of(w, b)))
        .isCloseTo(0.7, within(1e-9));
    assertThat(new dev.neurite.standard.regularizers.ElasticNet(new dev.neurite.standard.regularizers.ElasticNet.Params(0.1, 0.2, weights))
        .penalty(List.of(w, b))).isCloseTo(0.7 + 0.5 * 0.2 * 25, within(1e-9));
    assertThat(new dev.neurite.standard.regularizers.L2(new dev.neurite.standard.regularizers.L2.Params(0.2,
        dev.neurite.standard.regularizers.ApplyTo.BIASES)).penalty(List.of(w, b))).isCloseTo(0.5 * 0.2 * 100, within(1e-9));
  }

  @Test
  void singleOutputHingeMapsTargetsToPlusMinusOne() {
    var hinge = new dev.neurite.standard.losses.Hinge(new dev.neurite.standard.losses.Hinge.Params(1.0));
    // targets 1, 0, 1 -> y = +1, -1, +1; outputs 0.3, -2, 1.5: max(0, 1 - 0.3) = 0.7, max(0, 1 - 2) = 0, max(0, 1 - 1.5) = 0
    double v = hinge.forward(Tensor.wrap(new float[] {0.3f, -2f, 1.5f}, 3, 1), Tensor.wrap(new float[] {1, 0, 1}, 3, 1));
    assertThat(v).isCloseTo(0.7 / 3, within(1e-7));
    assertThat(hinge.backward().data()).containsExactly(new float[] {-1f / 3, 0f, 0f}, within(1e-7f));
  }

  /** A layer of another plugin that says what its outputs are. */
  private static Layer outputting(Layer.Outputs outputs) {
    return new Layer() {
      public Shape build(Shape input, BuildContext ctx) { return input; }
      public Tensor forward(Tensor x, Pass pass) { return x; }
      public Tensor backward(Tensor g) { return g; }
      public Outputs outputs() { return outputs; }
    };
  }

  @Test
  void lossesCheckWhatTheLastLayerOutputsWhateverPluginItComesFrom() {
    SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0));
    assertThatThrownBy(() -> crossEntropy.checkModel(List.of(new Tanh(), outputting(Layer.Outputs.SOFTMAX))))
        .hasMessageStartingWith("the model ends with a softmax, but softmax_cross_entropy applies its own softmax");
    crossEntropy.checkModel(List.of(outputting(Layer.Outputs.SIGMOID)));
    new NegativeLogLikelihood().checkModel(List.of(new Tanh(), outputting(Layer.Outputs.LOG_SOFTMAX)));
    assertThatThrownBy(() -> new NegativeLogLikelihood().checkModel(List.of(outputting(Layer.Outputs.SOFTMAX))))
        .hasMessageStartingWith("nll takes log-probabilities");
    // a fused activation answers for its layer
    Dense withSigmoid = new Dense(new Dense.Params(2, (t, in, out) -> { }, true, Optional.of(new Sigmoid())));
    assertThat(withSigmoid.outputs()).isEqualTo(Layer.Outputs.SIGMOID);
    assertThatThrownBy(() -> new BinaryCrossEntropy().checkModel(List.of(withSigmoid)))
        .hasMessageStartingWith("the model ends with a sigmoid, but binary_cross_entropy applies its own sigmoid");
  }
}
