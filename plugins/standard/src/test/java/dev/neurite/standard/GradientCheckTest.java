package dev.neurite.standard;

import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.standard.initializers.XavierUniform;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Relu;
import dev.neurite.standard.layers.Sigmoid;
import dev.neurite.standard.layers.Softmax;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.standard.losses.MeanSquaredError;
import dev.neurite.standard.losses.SoftmaxCrossEntropy;
import dev.neurite.standard.regularizers.L2;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every differentiable standard component against central finite differences. */
class GradientCheckTest {
  private static Dense dense(int units, boolean bias) {
    return new Dense(new Dense.Params(units, new XavierUniform(new XavierUniform.Params(1.0), new RandomStream(3)), bias));
  }

  private static void check(Layer layer, int features) {
    GradientCheck.layer(layer, Shape.of(features), 4, Pass.TRAINING, () -> {});
  }

  @Test
  void dense() {
    check(dense(5, true), 7);
    check(dense(3, false), 2);
  }

  @Test
  void activations() {
    check(new Sigmoid(), 6);
    check(new Tanh(), 6);
    check(new Relu(), 6);
    check(new Softmax(), 6);
  }

  @Test
  void dropoutInTrainingReplaysItsMask() {
    RandomStream random = new RandomStream(5);
    long start = random.state();
    Dropout dropout = new Dropout(new Dropout.Params(0.4), random);
    GradientCheck.layer(dropout, Shape.of(10), 3, Pass.TRAINING, () -> random.restore(start));
  }

  @Test
  void dropoutAtInferenceIsTheIdentity() {
    GradientCheck.layer(new Dropout(new Dropout.Params(0.4), new RandomStream(5)), Shape.of(10), 3, Pass.INFERENCE, () -> {});
  }

  @Test
  void meanSquaredError() {
    GradientCheck.loss(new MeanSquaredError(), GradientCheck.input(Shape.of(4, 3), 1), GradientCheck.input(Shape.of(4, 3), 2));
  }

  @Test
  void softmaxCrossEntropyWithIndexAndProbabilityTargets() {
    Tensor logits = GradientCheck.input(Shape.of(4, 5), 1);
    GradientCheck.loss(new SoftmaxCrossEntropy(), logits, Tensor.wrap(new float[] {0, 4, 2, 2}, 4, 1));
    float[] p = new float[20];
    for (int r = 0; r < 4; r++) {
      p[r * 5 + r] = 0.7f;
      p[r * 5 + 4] = 0.3f;
    }
    GradientCheck.loss(new SoftmaxCrossEntropy(), logits, Tensor.wrap(p, 4, 5));
  }

  @Test
  void l2() {
    Param w = new Param("layers.0.weight", GradientCheck.input(Shape.of(3, 4), 1), Tensor.zeros(3, 4), true);
    Param b = new Param("layers.0.bias", GradientCheck.input(Shape.of(3), 2), Tensor.zeros(3), false);
    GradientCheck.regularizer(new L2(new L2.Params(0.3)), List.of(w, b));
  }
}
