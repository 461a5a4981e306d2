package dev.neurite.spi;

import dev.neurite.tensor.Tensor;
import java.util.Map;

/** A preprocessing step, fitted on the training split only and then applied to every split. */
public interface Transform {
  /** Learns statistics from the training split. Called once, before any {@link #apply}. */
  default void fit(Dataset train) {}

  /** Returns the transformed dataset (a transform may work in place and return its argument). */
  Dataset apply(Dataset data);

  /** The fitted statistics, saved with the run (for example {@code mean} and {@code std}). */
  default Map<String, Tensor> state() {
    return Map.of();
  }
}
