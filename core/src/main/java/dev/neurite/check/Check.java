package dev.neurite.check;

import java.util.Optional;

/**
 * One named property a component must have. {@link #body} throws {@link AssertionError} (or any
 * exception) when the property does not hold. The same checks back the JUnit contracts of the test
 * kit and {@code ./neurite plugins verify}.
 */
public record Check(String name, Runnable body) {
  /** Runs the check; the failure's message, or empty when it passed. */
  public Optional<String> run() {
    try {
      body.run();
      return Optional.empty();
    } catch (AssertionError | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Optional.of(e instanceof AssertionError ? message : e.getClass().getSimpleName() + ": " + message);
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) throw new AssertionError(message);
  }
}
