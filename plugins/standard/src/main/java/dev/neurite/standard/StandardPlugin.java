package dev.neurite.standard;

import dev.neurite.spi.NeuritePlugin;
import dev.neurite.standard.augment.Cutout;
import dev.neurite.standard.augment.RandomCrop;
import dev.neurite.standard.augment.RandomFlip;
import dev.neurite.standard.augment.RandomRotation;
import dev.neurite.standard.augment.RandomShift;
import dev.neurite.standard.callbacks.EarlyStopping;
import dev.neurite.standard.explain.GradientTimesInput;
import dev.neurite.standard.explain.IntegratedGradients;
import dev.neurite.standard.explain.Occlusion;
import dev.neurite.standard.explain.PermutationImportance;
import dev.neurite.standard.explain.Saliency;
import dev.neurite.standard.explain.SmoothGrad;
import dev.neurite.standard.data.Csv;
import dev.neurite.standard.data.Idx;
import dev.neurite.standard.data.Npy;
import dev.neurite.standard.data.Synthetic;
import dev.neurite.standard.data.Text;
import dev.neurite.standard.data.Timeseries;
import dev.neurite.standard.data.Xor;
import dev.neurite.standard.initializers.HeNormal;
import dev.neurite.standard.initializers.HeUniform;
import dev.neurite.standard.initializers.LecunNormal;
import dev.neurite.standard.initializers.LecunUniform;
import dev.neurite.standard.initializers.Normal;
import dev.neurite.standard.initializers.Ones;
import dev.neurite.standard.initializers.Orthogonal;
import dev.neurite.standard.initializers.TruncatedNormal;
import dev.neurite.standard.initializers.Uniform;
import dev.neurite.standard.initializers.VarianceScaling;
import dev.neurite.standard.initializers.XavierNormal;
import dev.neurite.standard.initializers.XavierUniform;
import dev.neurite.standard.initializers.Zeros;
import dev.neurite.standard.layers.Add;
import dev.neurite.standard.layers.AvgPool1d;
import dev.neurite.standard.layers.Conv1d;
import dev.neurite.standard.layers.Embedding;
import dev.neurite.standard.layers.GlobalAvgPool1d;
import dev.neurite.standard.layers.Last;
import dev.neurite.standard.layers.Masking;
import dev.neurite.standard.layers.GlobalMaxPool1d;
import dev.neurite.standard.layers.MaxPool1d;
import dev.neurite.standard.layers.MultiHeadAttention;
import dev.neurite.standard.layers.PositionalEncoding;
import dev.neurite.standard.layers.TransformerEncoder;
import dev.neurite.standard.layers.Gru;
import dev.neurite.standard.layers.Lstm;
import dev.neurite.standard.layers.SimpleRnn;
import dev.neurite.standard.layers.AvgPool2d;
import dev.neurite.standard.layers.BatchNorm;
import dev.neurite.standard.layers.Concat;
import dev.neurite.standard.layers.Conv2d;
import dev.neurite.standard.layers.Dense;
import dev.neurite.standard.layers.Dropout;
import dev.neurite.standard.layers.Elu;
import dev.neurite.standard.layers.Flatten;
import dev.neurite.standard.layers.GaussianNoise;
import dev.neurite.standard.layers.Gelu;
import dev.neurite.standard.layers.GlobalAvgPool2d;
import dev.neurite.standard.layers.LayerNorm;
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
import dev.neurite.standard.metrics.BitsPerCharacter;
import dev.neurite.standard.metrics.Perplexity;
import dev.neurite.standard.metrics.TokenCrossEntropy;
import dev.neurite.standard.metrics.Auc;
import dev.neurite.standard.metrics.ConfusionMatrix;
import dev.neurite.standard.metrics.F1;
import dev.neurite.standard.metrics.MaeMetric;
import dev.neurite.standard.metrics.MeanLoss;
import dev.neurite.standard.metrics.MseMetric;
import dev.neurite.standard.metrics.Precision;
import dev.neurite.standard.metrics.R2Metric;
import dev.neurite.standard.metrics.Recall;
import dev.neurite.standard.metrics.RmseMetric;
import dev.neurite.standard.metrics.TopKAccuracy;
import dev.neurite.standard.optimizers.Adagrad;
import dev.neurite.standard.optimizers.Adam;
import dev.neurite.standard.optimizers.AdamW;
import dev.neurite.standard.optimizers.Adamax;
import dev.neurite.standard.optimizers.Nadam;
import dev.neurite.standard.optimizers.RmsProp;
import dev.neurite.standard.optimizers.Sgd;
import dev.neurite.standard.regularizers.ElasticNet;
import dev.neurite.standard.regularizers.L1;
import dev.neurite.standard.regularizers.L2;
import dev.neurite.standard.regularizers.MaxNorm;
import dev.neurite.standard.regularizers.NonNegative;
import dev.neurite.standard.regularizers.UnitNorm;
import dev.neurite.standard.schedules.Constant;
import dev.neurite.standard.schedules.Cosine;
import dev.neurite.standard.schedules.Exponential;
import dev.neurite.standard.schedules.LinearWarmup;
import dev.neurite.standard.schedules.MultiStep;
import dev.neurite.standard.schedules.OneCycle;
import dev.neurite.standard.schedules.ReduceOnPlateau;
import dev.neurite.standard.schedules.StepDecay;
import dev.neurite.standard.transforms.Clip;
import dev.neurite.standard.transforms.MinMax;
import dev.neurite.standard.transforms.OneHot;
import dev.neurite.standard.transforms.Scale;
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
    layer("batch_norm", BatchNorm.Params.class, BatchNorm.class);
    layer("layer_norm", LayerNorm.Params.class, LayerNorm.class);
    layer("gaussian_noise", GaussianNoise.Params.class, GaussianNoise.class);
    layer("add", Add.class);
    layer("concat", Concat.class);
    layer("embedding", Embedding.Params.class, Embedding.class);
    layer("lstm", Lstm.Params.class, Lstm.class);
    layer("gru", Gru.Params.class, Gru.class);
    layer("simple_rnn", SimpleRnn.Params.class, SimpleRnn.class);
    layer("conv1d", Conv1d.Params.class, Conv1d.class);
    layer("positional_encoding", PositionalEncoding.Params.class, PositionalEncoding.class);
    layer("multi_head_attention", MultiHeadAttention.Params.class, MultiHeadAttention.class);
    layer("transformer_encoder", TransformerEncoder.Params.class, TransformerEncoder.class);
    layer("max_pool1d", MaxPool1d.Params.class, MaxPool1d.class);
    layer("avg_pool1d", AvgPool1d.Params.class, AvgPool1d.class);
    layer("global_max_pool1d", GlobalMaxPool1d.class);
    layer("global_avg_pool1d", GlobalAvgPool1d.class);
    layer("last", Last.class);
    layer("masking", Masking.Params.class, Masking.class);

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

    schedule("constant", Constant.class);
    schedule("step", StepDecay.Params.class, StepDecay.class);
    schedule("multistep", MultiStep.Params.class, MultiStep.class);
    schedule("exponential", Exponential.Params.class, Exponential.class);
    schedule("cosine", Cosine.Params.class, Cosine.class);
    schedule("linear_warmup", LinearWarmup.Params.class, LinearWarmup.class);
    schedule("one_cycle", OneCycle.Params.class, OneCycle.class);
    schedule("reduce_on_plateau", ReduceOnPlateau.Params.class,
        ReduceOnPlateau.class);

    regularizer("l2", L2.Params.class, L2.class);
    regularizer("l1", L1.Params.class, L1.class);
    regularizer("elastic_net", ElasticNet.Params.class, ElasticNet.class);
    regularizer("max_norm", MaxNorm.Params.class, MaxNorm.class);
    regularizer("unit_norm", UnitNorm.Params.class, UnitNorm.class);
    regularizer("non_negative", NonNegative.Params.class,
        NonNegative.class);

    callback("early_stopping", EarlyStopping.Params.class,
        EarlyStopping.class);

    explainer("saliency", Saliency.class);
    explainer("gradient_x_input", GradientTimesInput.class);
    explainer("integrated_gradients", IntegratedGradients.Params.class, IntegratedGradients.class);
    explainer("smoothgrad", SmoothGrad.Params.class, SmoothGrad.class);
    explainer("occlusion", Occlusion.Params.class, Occlusion.class);
    explainer("permutation_importance", PermutationImportance.Params.class, PermutationImportance.class);

    initializer("xavier_uniform", VarianceScaling.Params.class, XavierUniform.class);
    initializer("xavier_normal", VarianceScaling.Params.class, XavierNormal.class);
    initializer("he_uniform", VarianceScaling.Params.class, HeUniform.class);
    initializer("he_normal", VarianceScaling.Params.class, HeNormal.class);
    initializer("zeros", Zeros.class);
    initializer("ones", Ones.class);
    initializer("constant", dev.neurite.standard.initializers.Constant.Params.class, dev.neurite.standard.initializers.Constant.class);
    initializer("uniform", Uniform.Params.class, Uniform.class);
    initializer("normal", Normal.Params.class, Normal.class);
    initializer("truncated_normal", Normal.Params.class,
        TruncatedNormal.class);
    initializer("lecun_uniform", VarianceScaling.Params.class, LecunUniform.class);
    initializer("lecun_normal", VarianceScaling.Params.class, LecunNormal.class);
    initializer("orthogonal", Orthogonal.Params.class, Orthogonal.class);

    dataSource("csv", Csv.Params.class, Csv.class);
    dataSource("xor", Xor.class);
    dataSource("idx", Idx.Params.class, Idx.class);
    dataSource("npy", Npy.Params.class, Npy.class);
    dataSource("synthetic", Synthetic.Params.class, Synthetic.class);
    dataSource("timeseries", Timeseries.Params.class, Timeseries.class);
    dataSource("text", Text.Params.class, Text.class);

    transform("standardize", Standardize.class);
    transform("min_max", MinMax.Params.class, MinMax.class);
    transform("scale", Scale.Params.class, Scale.class);
    transform("clip", Clip.Params.class, Clip.class);
    transform("one_hot", OneHot.Params.class, OneHot.class);
    augmentation("random_shift", RandomShift.Params.class, RandomShift.class);
    augmentation("random_crop", RandomCrop.Params.class, RandomCrop.class);
    augmentation("random_flip", RandomFlip.Params.class, RandomFlip.class);
    augmentation("random_rotation", RandomRotation.Params.class, RandomRotation.class);
    augmentation("gaussian_noise", dev.neurite.standard.augment.GaussianNoise.Params.class, dev.neurite.standard.augment.GaussianNoise.class);
    augmentation("cutout", Cutout.Params.class, Cutout.class);

    metric("loss", MeanLoss.class);
    metric("accuracy", Accuracy.Params.class, Accuracy.class);
    metric("top_k_accuracy", TopKAccuracy.Params.class, TopKAccuracy.class);
    metric("precision", Precision.Params.class, Precision.class);
    metric("recall", Recall.Params.class, Recall.class);
    metric("f1", F1.Params.class, F1.class);
    metric("confusion_matrix", ConfusionMatrix.Params.class, ConfusionMatrix.class);
    metric("auc", Auc.class);
    metric("mae", MaeMetric.class);
    metric("mse", MseMetric.class);
    metric("rmse", RmseMetric.class);
    metric("r2", R2Metric.class);
    metric("token_cross_entropy", TokenCrossEntropy.class);
    metric("perplexity", Perplexity.class);
    metric("bits_per_character", BitsPerCharacter.class);
  }
}
