package dev.neurite.train;

import dev.neurite.spi.NeuriteException;

/** The loss stopped being a finite number. */
public final class TrainingDivergedException extends NeuriteException {
  public TrainingDivergedException(String message) {
    super(message);
  }
}
