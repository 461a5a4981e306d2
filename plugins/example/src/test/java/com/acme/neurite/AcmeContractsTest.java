package com.acme.neurite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.neurite.spi.Layer;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.testkit.LayerContract;
import dev.neurite.testkit.OptimizerContract;
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
  }

  @Test
  void mishKnownValues() {
    // mish(1) = tanh(ln(1 + e)) = 0.86509839, mish(-1) = -0.30340147, mish(0) = 0
    Tensor y = new Mish().forward(Tensor.wrap(new float[] {1, -1, 0}, 1, 3), Pass.INFERENCE);
    assertArrayEquals(new float[] {0.86509839f, -0.30340147f, 0f}, y.data(), 1e-6f);
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
