package dev.neurite.train;

import java.util.Map;

/** Observes the training loop: the console reporter and the run directory's metrics log are listeners. */
public interface TrainingListener {
  /** Before a new run's first epoch (not on resume): the model it trains. */
  default void onModel(ModelSummary model) {}

  /** Before the first epoch (of a resumed run too): the epochs, the batches of an epoch and the training rows it covers. */
  default void onStart(int epochs, int batchesPerEpoch, int rowsPerEpoch) {}

  /** After each optimizer step; {@code meanLoss} is the running mean of the epoch so far. */
  default void onBatch(int epoch, int batch, double meanLoss) {}

  /** After each epoch; {@code row} holds {@code epoch}, {@code train_<metric>}, {@code validation_<metric>} and {@code seconds}. */
  default void onEpoch(int epoch, Map<String, Double> row) {}

  /** After each epoch's {@link #onEpoch}, when {@code training.diagnostics} is on: the row of {@link Diagnostics}. */
  default void onDiagnostics(int epoch, Map<String, Double> row) {}
}
