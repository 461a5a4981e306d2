package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

/** The training objective, averaged over the batch. */
public interface Loss {
  /**
   * Checks, when the model is built, that the model's per-sample output shape fits the targets
   * of the training data ({@code targets} is batched). Throws {@link IllegalArgumentException} with
   * a message naming both shapes and a fix.
   */
  default void check(Shape output, Tensor targets) {}

  /**
   * Checks, when the model is built, that the loss suits the model's layers, e.g. that a loss which
   * applies its own softmax does not follow a softmax layer. Throws {@link IllegalArgumentException}
   * with the fix.
   */
  default void checkModel(List<Layer> layers) {}

  /** The mean loss of the batch; keeps what {@link #backward} needs. */
  double forward(Tensor output, Tensor target);

  /** d(mean loss)/d(output) for the last forward call. The returned tensor may be reused. */
  Tensor backward();

  /** How the model's outputs read as predictions, for {@code ./neurite predict}. */
  enum Reading {
    /** Values, as they are (regression). */
    VALUES,
    /** Class scores (logits): the prediction is the largest; probabilities by softmax. */
    CLASS_LOGITS,
    /** Class log-probabilities (after log_softmax): probabilities by exp. */
    CLASS_LOG_PROBABILITIES,
    /** Class scores without a probability reading (a margin loss): the prediction is the largest. */
    CLASS_SCORES,
    /** One independent logit per output: probabilities by the sigmoid. */
    BINARY_LOGITS
  }

  default Reading reading() {
    return Reading.VALUES;
  }
}
