package dev.neurite.spi;

import dev.neurite.tensor.Tensor;

/** A number accumulated over the batches of one split: reset, update per batch, read. */
public interface Metric {
  void reset();

  /** One batch: the model's outputs, the targets, and the batch's mean loss. */
  void update(Tensor output, Tensor target, double batchLoss);

  /** The value over every batch since {@link #reset}. */
  double value();
}
