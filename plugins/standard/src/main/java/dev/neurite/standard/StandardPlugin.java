package dev.neurite.standard;

import dev.neurite.spi.NeuritePlugin;
import dev.neurite.standard.data.Csv;
import dev.neurite.standard.data.Xor;
import dev.neurite.standard.initializers.HeNormal;
import dev.neurite.standard.initializers.VarianceScaling;
import dev.neurite.standard.initializers.HeUniform;
import dev.neurite.standard.initializers.XavierNormal;
import dev.neurite.standard.initializers.XavierUniform;
import dev.neurite.standard.initializers.Zeros;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Relu;
import dev.neurite.standard.layers.Sigmoid;
import dev.neurite.standard.layers.Softmax;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.standard.losses.MeanSquaredError;
import dev.neurite.standard.losses.SoftmaxCrossEntropy;
import dev.neurite.standard.metrics.Accuracy;
import dev.neurite.standard.metrics.MeanLoss;
import dev.neurite.standard.optimizers.Sgd;
import dev.neurite.standard.regularizers.L2;
import dev.neurite.standard.transforms.Standardize;

/** The built-in components, registered exactly as a third party's plugin registers its own. */
public final class StandardPlugin extends NeuritePlugin {
  @Override
  public String name() {
    return "standard";
  }

  @Override
  protected void configure() {
    layer("dense", Dense.Params.class, Dense.class);
    layer("sigmoid", Sigmoid.class);
    layer("tanh", Tanh.class);
    layer("relu", Relu.class);
    layer("softmax", Softmax.class);
    layer("dropout", Dropout.Params.class, Dropout.class);

    loss("mse", MeanSquaredError.class);
    loss("softmax_cross_entropy", SoftmaxCrossEntropy.class);

    optimizer("sgd", Sgd.Params.class, Sgd.class);

    regularizer("l2", L2.Params.class, L2.class);

    initializer("xavier_uniform", VarianceScaling.Params.class, XavierUniform.class);
    initializer("xavier_normal", VarianceScaling.Params.class, XavierNormal.class);
    initializer("he_uniform", VarianceScaling.Params.class, HeUniform.class);
    initializer("he_normal", VarianceScaling.Params.class, HeNormal.class);
    initializer("zeros", Zeros.class);

    dataSource("csv", Csv.Params.class, Csv.class);
    dataSource("xor", Xor.class);

    transform("standardize", Standardize.class);

    metric("loss", MeanLoss.class);
    metric("accuracy", Accuracy.Params.class, Accuracy.class);
  }
}
