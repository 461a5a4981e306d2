package dev.neurite.spi;

import dev.neurite.tensor.Tensor;
import java.util.Map;

/**
 * A preprocessing step, fitted on the training split only and then applied to every split (and,
 * by {@code predict}, to new inputs). {@link #fit} streams over the training rows with
 * {@link Dataset#read}; {@link #apply} returns a lazy view, usually {@link Dataset#map}, so a
 * dataset larger than memory is never copied.
 */
public interface Transform {
  /** Learns statistics from the training split. Called once, before any {@link #apply}. */
  default void fit(Dataset train) {}

  /** The transformed dataset: a view of {@code data}. */
  Dataset apply(Dataset data);

  /** The fitted statistics, saved with the run (for example {@code mean} and {@code std}). */
  default Map<String, Tensor> state() {
    return Map.of();
  }

  /** Fitted state that is text rather than numbers (for example category levels), saved beside {@link #state}. */
  default Map<String, String> metadata() {
    return Map.of();
  }

  /**
   * Takes back what {@link #state} and {@link #metadata} returned after fitting, instead of
   * {@link #fit}: how a saved run applies its preprocessing to new data. A transform with fitted
   * state must override it.
   */
  default void restore(Map<String, Tensor> state, Map<String, String> metadata) {
    if (!state().isEmpty() || !state.isEmpty()) {
      throw new UnsupportedOperationException(getClass().getName() + " saves fitted state but cannot restore it");
    }
  }
}
