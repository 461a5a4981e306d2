package com.acme.neurite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neurite.check.KnownUpdates;
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
import dev.neurite.testkit.LayerContract;
import dev.neurite.testkit.LossContract;
import dev.neurite.testkit.OptimizerContract;
import dev.neurite.testkit.RegularizerContract;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a third party tests its plugin: the kit's contracts, plus known values. */
class AcmeContractsTest {
  @Nested class MishContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Mish(); }
    protected Shape inputShape() { return Shape.of(8); }
  }

  @Nested class LionContract extends OptimizerContract {
    protected Optimizer create() { return new Lion(new Lion.Params(0.01, 0.9, 0.99, 0)); }
  }

  @Nested class LionWithWeightDecayContract extends OptimizerContract {
    protected Optimizer create() { return new Lion(new Lion.Params(0.01, 0.9, 0.99, 0.01)); }

    // the paper's update by hand: w -= 0.01 (sign(0.9 m + 0.1 g) + 0.01 w); m = 0.99 m + 0.01 g
    protected List<KnownUpdates> knownUpdates() {
      return List.of(KnownUpdates.of(new float[] {0.5f, -1f}, true)
          .step(new float[] {0.2f, -3f}, new float[] {0.48995f, -0.9899f})           // then m = (0.002, -0.03)
          .step(new float[] {-0.1f, 0.5f}, new float[] {0.499901005f, -0.99980101f})); // sign(-0.0082, 0.023)
    }
  }

  @Nested class LogCoshContract extends LossContract {
    protected Loss create() { return new LogCosh(); }
    protected Tensor output() { return Tensor.wrap(new float[] {0.5f, -1.2f, 2f, 0.1f, -0.3f, 3f}, 2, 3); }
    protected Tensor target() { return Tensor.wrap(new float[] {0f, -1f, 0.5f, 1f, -2f, 0f}, 2, 3); }
  }

  @Nested class OrthogonalityContract extends RegularizerContract {
    protected Regularizer create() { return new Orthogonality(new Orthogonality.Params(0.1)); }
  }

  @Test
  void mishKnownValues() {
    // mish(1) = tanh(ln(1 + e)) = 0.86509839, mish(-1) = -0.30340147, mish(0) = 0
    Tensor y = new Mish().forward(Tensor.wrap(new float[] {1, -1, 0}, 1, 3), Pass.INFERENCE);
    assertArrayEquals(new float[] {0.86509839f, -0.30340147f, 0f}, y.data(), 1e-6f);
  }

  @Test
  void logCoshKnownValues() {
    // log(cosh(1)) = 0.43378083, log(cosh(-2)) = 1.32500275, log(cosh(0)) = 0; the mean of three
    double loss = new LogCosh().forward(Tensor.wrap(new float[] {1, -2, 0}, 1, 3), Tensor.wrap(new float[] {0, 0, 0}, 1, 3));
    assertEquals((0.43378083 + 1.32500275) / 3, loss, 1e-7);
  }

  @Test
  void anOrthogonalWeightHasNoPenaltyAndAScaledOneHasAKnownOne() {
    Param rotation = new Param("layers.0.weight", Tensor.wrap(new float[] {0.6f, -0.8f, 0.8f, 0.6f}, 2, 2), Tensor.zeros(2, 2), true);
    Orthogonality ortho = new Orthogonality(new Orthogonality.Params(0.5));
    assertEquals(0, ortho.penalty(List.of(rotation)), 1e-12);
    // W = 2I: W W^T - I = 3I, ||3I||^2 = 18, times 0.5; gradient 4 * 0.5 * 3I * 2I = 12 I
    Param doubled = new Param("layers.0.weight", Tensor.wrap(new float[] {2, 0, 0, 2}, 2, 2), Tensor.zeros(2, 2), true);
    assertEquals(9, ortho.penalty(List.of(doubled)), 1e-12);
    ortho.addGradient(List.of(doubled));
    assertArrayEquals(new float[] {12, 0, 0, 12}, doubled.grad().data());
  }

  @Test
  void lionFollowsThePapersUpdate() {
    // g = 0.5 then -2: c1 = 0.05 -> w = -0.1; m = 0.005; c2 = 0.9*0.005 - 0.2 < 0 -> w = 0.0 (with lr 0.1)
    Param w = new Param("layers.0.weight", Tensor.zeros(1), Tensor.zeros(1), true);
    Lion lion = new Lion(new Lion.Params(0.1, 0.9, 0.99, 0));
    w.grad().set(0, 0.5f);
    lion.step(List.of(w), new StepInfo(1, 1));
    assertArrayEquals(new float[] {-0.1f}, w.value().data(), 1e-7f);
    w.grad().set(0, -2f);
    lion.step(List.of(w), new StepInfo(2, 1));
    assertArrayEquals(new float[] {0f}, w.value().data(), 1e-7f);
  }
}
