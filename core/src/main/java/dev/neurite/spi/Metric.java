package dev.neurite.spi;

import dev.neurite.tensor.Tensor;

/** A number accumulated over the batches of one split: reset, update per batch, read. */
public interface Metric {
  void reset();

  /** One batch: the model's outputs, the targets, and the batch's mean loss. */
  void update(Tensor output, Tensor target, double batchLoss);

  /** The value over every batch since {@link #reset}. */
  double value();

  /** Which way the metric improves: up (accuracy, the default) or down (a loss, an error). */
  default boolean higherIsBetter() {
    return true;
  }

  /**
   * More than one number, for the run's summary (a confusion matrix as rows of counts, say): any
   * structure of lists, maps, numbers and strings. Null when the value says it all.
   */
  default Object details() {
    return null;
  }
}
