package dev.neurite.standard;

import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Regularizer;
import dev.neurite.standard.initializers.VarianceScaling;
import dev.neurite.standard.initializers.XavierUniform;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Relu;
import dev.neurite.standard.layers.Sigmoid;
import dev.neurite.standard.layers.Softmax;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.standard.losses.MeanSquaredError;
import dev.neurite.standard.losses.SoftmaxCrossEntropy;
import dev.neurite.standard.optimizers.Sgd;
import dev.neurite.standard.regularizers.L2;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.testkit.LayerContract;
import dev.neurite.testkit.LossContract;
import dev.neurite.testkit.OptimizerContract;
import dev.neurite.testkit.RegularizerContract;
import org.junit.jupiter.api.Nested;

/** Every standard component passes the plugin author's kit, the way a third party's would. */
class ContractsTest {
  static Layer dense(int units, boolean bias, RandomStream random) {
    return new Dense(new Dense.Params(units, new XavierUniform(new VarianceScaling.Params(1.0), random), bias, java.util.Optional.empty()));
  }

  @Nested class DenseWithBias extends LayerContract {
    protected Layer create(RandomStream random) { return dense(5, true, random); }
    protected Shape inputShape() { return Shape.of(7); }
  }

  @Nested class DenseWithoutBias extends LayerContract {
    protected Layer create(RandomStream random) { return dense(3, false, random); }
    protected Shape inputShape() { return Shape.of(2); }
  }

  @Nested class SigmoidContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Sigmoid(); }
    protected Shape inputShape() { return Shape.of(6); }
  }

  @Nested class TanhContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Tanh(); }
    protected Shape inputShape() { return Shape.of(6); }
  }

  @Nested class ReluContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Relu(); }
    protected Shape inputShape() { return Shape.of(6); }
  }

  @Nested class SoftmaxContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Softmax(); }
    protected Shape inputShape() { return Shape.of(6); }
  }

  @Nested class DropoutContract extends LayerContract {
    protected Layer create(RandomStream random) { return new Dropout(new Dropout.Params(0.4), random); }
    protected Shape inputShape() { return Shape.of(10); }
  }

  @Nested class MeanSquaredErrorContract extends LossContract {
    protected Loss create() { return new MeanSquaredError(); }
    protected Tensor output() { return Tensor.wrap(new float[] {0.3f, -1.2f, 0.8f, 2f, 0.1f, -0.4f}, 3, 2); }
    protected Tensor target() { return Tensor.wrap(new float[] {0f, -1f, 1f, 1.5f, 0.5f, 0f}, 3, 2); }
  }

  @Nested class SoftmaxCrossEntropyWithClassIndices extends LossContract {
    protected Loss create() { return new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0)); }
    protected Tensor output() { return Tensor.wrap(new float[] {0.3f, -1.2f, 0.8f, 2f, 0.1f, -0.4f, 1f, 1f, 1f}, 3, 3); }
    protected Tensor target() { return Tensor.wrap(new float[] {2, 0, 1}, 3, 1); }
  }

  @Nested class SoftmaxCrossEntropyWithProbabilities extends LossContract {
    protected Loss create() { return new SoftmaxCrossEntropy(new SoftmaxCrossEntropy.Params(0)); }
    protected Tensor output() { return Tensor.wrap(new float[] {0.3f, -1.2f, 0.8f, 2f, 0.1f, -0.4f}, 2, 3); }
    protected Tensor target() { return Tensor.wrap(new float[] {0.2f, 0.3f, 0.5f, 1f, 0f, 0f}, 2, 3); }
  }

  @Nested class PlainGradientDescent extends OptimizerContract {
    protected Optimizer create() { return new Sgd(new Sgd.Params(0.2, 0, false)); }
  }

  @Nested class SgdWithMomentum extends OptimizerContract {
    protected Optimizer create() { return new Sgd(new Sgd.Params(0.05, 0.9, false)); }
  }

  @Nested class SgdWithNesterovMomentum extends OptimizerContract {
    protected Optimizer create() { return new Sgd(new Sgd.Params(0.05, 0.9, true)); }
  }

  @Nested class L2Contract extends RegularizerContract {
    protected Regularizer create() { return new L2(new L2.Params(0.3, dev.neurite.standard.regularizers.ApplyTo.WEIGHTS)); }
  }
}
