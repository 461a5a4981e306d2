package dev.neurite.spi;

/**
 * An error caused by the user's input (config, data, plugin set) rather than a bug: its message is
 * complete and is shown without a stack trace.
 */
public class NeuriteException extends RuntimeException {
  public NeuriteException(String message) {
    super(message);
  }

  public NeuriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
