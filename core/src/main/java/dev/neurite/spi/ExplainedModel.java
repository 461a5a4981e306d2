package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * A trained model as an {@link Explainer} uses it: always in inference mode (dropout off, batch norm
 * on its running statistics), on batches of samples of {@link #sampleShape()}.
 */
public interface ExplainedModel {
  /** One sample's shape, e.g. {@code [64]} for tabular data or {@code [1, 28, 28]} for images. */
  Shape sampleShape();

  /** The model's outputs for {@code inputs}, {@code [n, outputs]} (a new tensor). */
  Tensor outputs(Tensor inputs);

  /**
   * d output[i, targets[i]] / d inputs[i] for every sample {@code i}: a new tensor of the inputs'
   * shape. Samples do not mix (inference mode), so each row is its own sample's gradient.
   */
  Tensor gradient(Tensor inputs, int[] targets);

  /** The training split's mean sample (after the run's transforms), {@code [1, ...sample shape]}. */
  Tensor trainingMean();
}
