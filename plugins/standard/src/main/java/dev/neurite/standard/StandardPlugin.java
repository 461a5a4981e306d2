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
import dev.neurite.standard.layers.Add;
import dev.neurite.standard.layers.AvgPool2d;
import dev.neurite.standard.layers.Concat;
import dev.neurite.standard.layers.Conv2d;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Elu;
import dev.neurite.standard.layers.Flatten;
import dev.neurite.standard.layers.Gelu;
import dev.neurite.standard.layers.GlobalAvgPool2d;
import dev.neurite.standard.layers.LeakyRelu;
import dev.neurite.standard.layers.LogSoftmax;
import dev.neurite.standard.layers.MaxPool2d;
import dev.neurite.standard.layers.Relu;
import dev.neurite.standard.layers.Reshape;
import dev.neurite.standard.layers.Sigmoid;
import dev.neurite.standard.layers.Softmax;
import dev.neurite.standard.layers.Softplus;
import dev.neurite.standard.layers.Swish;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.standard.losses.BinaryCrossEntropy;
import dev.neurite.standard.losses.Hinge;
import dev.neurite.standard.losses.Huber;
import dev.neurite.standard.losses.KlDivergence;
import dev.neurite.standard.losses.MeanAbsoluteError;
import dev.neurite.standard.losses.MeanSquaredError;
import dev.neurite.standard.losses.NegativeLogLikelihood;
import dev.neurite.standard.losses.SoftmaxCrossEntropy;
import dev.neurite.standard.metrics.Accuracy;
import dev.neurite.standard.metrics.MeanLoss;
import dev.neurite.standard.optimizers.Adagrad;
import dev.neurite.standard.optimizers.Adam;
import dev.neurite.standard.optimizers.AdamW;
import dev.neurite.standard.optimizers.Adamax;
import dev.neurite.standard.optimizers.Nadam;
import dev.neurite.standard.optimizers.RmsProp;
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
    layer("leaky_relu", LeakyRelu.Params.class, LeakyRelu.class);
    layer("elu", Elu.Params.class, Elu.class);
    layer("gelu", Gelu.Params.class, Gelu.class);
    layer("swish", Swish.class);
    layer("softplus", Softplus.Params.class, Softplus.class);
    layer("log_softmax", LogSoftmax.class);
    layer("flatten", Flatten.class);
    layer("reshape", Reshape.Params.class, Reshape.class);
    layer("conv2d", Conv2d.Params.class, Conv2d.class);
    layer("max_pool2d", MaxPool2d.Params.class, MaxPool2d.class);
    layer("avg_pool2d", AvgPool2d.Params.class, AvgPool2d.class);
    layer("global_avg_pool2d", GlobalAvgPool2d.class);
    layer("batch_norm", dev.neurite.standard.layers.BatchNorm.Params.class, dev.neurite.standard.layers.BatchNorm.class);
    layer("layer_norm", dev.neurite.standard.layers.LayerNorm.Params.class, dev.neurite.standard.layers.LayerNorm.class);
    layer("gaussian_noise", dev.neurite.standard.layers.GaussianNoise.Params.class, dev.neurite.standard.layers.GaussianNoise.class);
    layer("add", Add.class);
    layer("concat", Concat.class);

    loss("mse", MeanSquaredError.class);
    loss("softmax_cross_entropy", SoftmaxCrossEntropy.Params.class, SoftmaxCrossEntropy.class);
    loss("mae", MeanAbsoluteError.class);
    loss("huber", Huber.Params.class, Huber.class);
    loss("binary_cross_entropy", BinaryCrossEntropy.class);
    loss("nll", NegativeLogLikelihood.class);
    loss("hinge", Hinge.Params.class, Hinge.class);
    loss("kl_divergence", KlDivergence.class);

    optimizer("sgd", Sgd.Params.class, Sgd.class);
    optimizer("adam", Adam.Params.class, Adam.class);
    optimizer("adamw", Adam.Params.class, AdamW.class);
    optimizer("rmsprop", RmsProp.Params.class, RmsProp.class);
    optimizer("adagrad", Adagrad.Params.class, Adagrad.class);
    optimizer("adamax", Adamax.Params.class, Adamax.class);
    optimizer("nadam", Nadam.Params.class, Nadam.class);

    schedule("constant", dev.neurite.standard.schedules.Constant.class);
    schedule("step", dev.neurite.standard.schedules.StepDecay.Params.class, dev.neurite.standard.schedules.StepDecay.class);
    schedule("multistep", dev.neurite.standard.schedules.MultiStep.Params.class, dev.neurite.standard.schedules.MultiStep.class);
    schedule("exponential", dev.neurite.standard.schedules.Exponential.Params.class, dev.neurite.standard.schedules.Exponential.class);
    schedule("cosine", dev.neurite.standard.schedules.Cosine.Params.class, dev.neurite.standard.schedules.Cosine.class);
    schedule("linear_warmup", dev.neurite.standard.schedules.LinearWarmup.Params.class, dev.neurite.standard.schedules.LinearWarmup.class);
    schedule("one_cycle", dev.neurite.standard.schedules.OneCycle.Params.class, dev.neurite.standard.schedules.OneCycle.class);
    schedule("reduce_on_plateau", dev.neurite.standard.schedules.ReduceOnPlateau.Params.class,
        dev.neurite.standard.schedules.ReduceOnPlateau.class);

    regularizer("l2", L2.Params.class, L2.class);
    regularizer("l1", dev.neurite.standard.regularizers.L1.Params.class, dev.neurite.standard.regularizers.L1.class);
    regularizer("elastic_net", dev.neurite.standard.regularizers.ElasticNet.Params.class, dev.neurite.standard.regularizers.ElasticNet.class);
    regularizer("max_norm", dev.neurite.standard.regularizers.MaxNorm.Params.class, dev.neurite.standard.regularizers.MaxNorm.class);
    regularizer("unit_norm", dev.neurite.standard.regularizers.UnitNorm.Params.class, dev.neurite.standard.regularizers.UnitNorm.class);
    regularizer("non_negative", dev.neurite.standard.regularizers.NonNegative.Params.class,
        dev.neurite.standard.regularizers.NonNegative.class);

    callback("early_stopping", dev.neurite.standard.callbacks.EarlyStopping.Params.class,
        dev.neurite.standard.callbacks.EarlyStopping.class);

    initializer("xavier_uniform", VarianceScaling.Params.class, XavierUniform.class);
    initializer("xavier_normal", VarianceScaling.Params.class, XavierNormal.class);
    initializer("he_uniform", VarianceScaling.Params.class, HeUniform.class);
    initializer("he_normal", VarianceScaling.Params.class, HeNormal.class);
    initializer("zeros", Zeros.class);
    initializer("ones", dev.neurite.standard.initializers.Ones.class);
    initializer("constant", dev.neurite.standard.initializers.Constant.Params.class, dev.neurite.standard.initializers.Constant.class);
    initializer("uniform", dev.neurite.standard.initializers.Uniform.Params.class, dev.neurite.standard.initializers.Uniform.class);
    initializer("normal", dev.neurite.standard.initializers.Normal.Params.class, dev.neurite.standard.initializers.Normal.class);
    initializer("truncated_normal", dev.neurite.standard.initializers.Normal.Params.class,
        dev.neurite.standard.initializers.TruncatedNormal.class);
    initializer("lecun_uniform", VarianceScaling.Params.class, dev.neurite.standard.initializers.LecunUniform.class);
    initializer("lecun_normal", VarianceScaling.Params.class, dev.neurite.standard.initializers.LecunNormal.class);
    initializer("orthogonal", dev.neurite.standard.initializers.Orthogonal.Params.class, dev.neurite.standard.initializers.Orthogonal.class);

    dataSource("csv", Csv.Params.class, Csv.class);
    dataSource("xor", Xor.class);
    dataSource("idx", dev.neurite.standard.data.Idx.Params.class, dev.neurite.standard.data.Idx.class);
    dataSource("npy", dev.neurite.standard.data.Npy.Params.class, dev.neurite.standard.data.Npy.class);
    dataSource("synthetic", dev.neurite.standard.data.Synthetic.Params.class, dev.neurite.standard.data.Synthetic.class);

    transform("standardize", Standardize.class);
    transform("min_max", dev.neurite.standard.transforms.MinMax.Params.class, dev.neurite.standard.transforms.MinMax.class);
    transform("scale", dev.neurite.standard.transforms.Scale.Params.class, dev.neurite.standard.transforms.Scale.class);
    transform("clip", dev.neurite.standard.transforms.Clip.Params.class, dev.neurite.standard.transforms.Clip.class);
    transform("one_hot", dev.neurite.standard.transforms.OneHot.Params.class, dev.neurite.standard.transforms.OneHot.class);
    augmentation("random_shift", dev.neurite.standard.augment.RandomShift.Params.class, dev.neurite.standard.augment.RandomShift.class);
    augmentation("random_crop", dev.neurite.standard.augment.RandomCrop.Params.class, dev.neurite.standard.augment.RandomCrop.class);
    augmentation("random_flip", dev.neurite.standard.augment.RandomFlip.Params.class, dev.neurite.standard.augment.RandomFlip.class);
    augmentation("random_rotation", dev.neurite.standard.augment.RandomRotation.Params.class, dev.neurite.standard.augment.RandomRotation.class);
    augmentation("gaussian_noise", dev.neurite.standard.augment.GaussianNoise.Params.class, dev.neurite.standard.augment.GaussianNoise.class);
    augmentation("cutout", dev.neurite.standard.augment.Cutout.Params.class, dev.neurite.standard.augment.Cutout.class);

    metric("loss", MeanLoss.class);
    metric("accuracy", Accuracy.Params.class, Accuracy.class);
    metric("top_k_accuracy", dev.neurite.standard.metrics.TopKAccuracy.Params.class, dev.neurite.standard.metrics.TopKAccuracy.class);
    metric("precision", dev.neurite.standard.metrics.Precision.Params.class, dev.neurite.standard.metrics.Precision.class);
    metric("recall", dev.neurite.standard.metrics.Recall.Params.class, dev.neurite.standard.metrics.Recall.class);
    metric("f1", dev.neurite.standard.metrics.F1.Params.class, dev.neurite.standard.metrics.F1.class);
    metric("confusion_matrix", dev.neurite.standard.metrics.ConfusionMatrix.Params.class, dev.neurite.standard.metrics.ConfusionMatrix.class);
    metric("auc", dev.neurite.standard.metrics.Auc.class);
    metric("mae", dev.neurite.standard.metrics.MaeMetric.class);
    metric("mse", dev.neurite.standard.metrics.MseMetric.class);
    metric("rmse", dev.neurite.standard.metrics.RmseMetric.class);
    metric("r2", dev.neurite.standard.metrics.R2Metric.class);
  }
}
