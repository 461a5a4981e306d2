package dev.neurite.spi;

import java.util.List;
import java.util.Map;

/** Hooks into the training loop (early stopping, custom logging, ...). */
public interface Callback {
  /** The training loop as a callback sees it. */
  interface Control {
    /** Ends training after the current epoch. */
    void requestStop(String reason);

    List<Param> params();
  }

  default void onTrainStart(Control control) {}

  /** {@code metrics} maps column names such as {@code train_loss} or {@code validation_accuracy} to values. */
  default void onEpochEnd(int epoch, Map<String, Double> metrics, Control control) {}

  default void onTrainEnd(Control control) {}
}
