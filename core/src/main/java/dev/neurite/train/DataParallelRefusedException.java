package dev.neurite.train;

import dev.neurite.spi.NeuriteException;

/** A data-parallel run that cannot give the single-machine bytes, refused before it starts (retrying would not help). */
public final class DataParallelRefusedException extends NeuriteException {
  public DataParallelRefusedException(String message) {
    super(message);
  }
}
