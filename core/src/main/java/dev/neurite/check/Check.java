package dev.neurite.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One named property a component must have. {@link #body} throws {@link AssertionError} (or any
 * exception) when the property does not hold. {@link #needs} names earlier checks this one relies on
 * (gradient checks rely on a repeatable forward pass): when one of those failed, this check's failure
 * says so, since it is likely a consequence. The same checks back the JUnit contracts of the test kit
 * and {@code ./neurite plugins verify}.
 */
public record Check(String name, Runnable body, List<String> needs) {
  public Check {
    needs = List.copyOf(needs);
  }

  public Check(String name, Runnable body) {
    this(name, body, List.of());
  }

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

  /** The outcome of one check run in a sequence: its failure message, prefixed with what it relied on that failed. */
  public record Outcome(String name, Optional<String> failure) {}

  /**
   * Runs {@code checks} in order, the way reports show them. A failure of a check whose prerequisite
   * failed reads {@code after 'P' failed (likely the cause): message}.
   */
  public static final class Sequence {
    private final Map<String, Boolean> passed = new LinkedHashMap<>();

    /** Runs {@code check} after the ones run so far. */
    public Outcome run(Check check) {
      Optional<String> failure = check.run();
      passed.put(check.name(), failure.isEmpty());
      if (failure.isEmpty()) return new Outcome(check.name(), failure);
      List<String> failedNeeds = new ArrayList<>();
      for (String need : check.needs()) {
        if (Boolean.FALSE.equals(passed.get(need))) failedNeeds.add("'" + need + "'");
      }
      String message = failedNeeds.isEmpty() ? failure.get()
          : "after " + String.join(" and ", failedNeeds) + " failed (likely the cause): " + failure.get();
      return new Outcome(check.name(), Optional.of(message));
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) throw new AssertionError(message);
  }
}
