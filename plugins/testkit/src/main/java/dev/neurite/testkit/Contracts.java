package dev.neurite.testkit;

import dev.neurite.check.Check;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Turns the core's checks into JUnit dynamic tests, one per check, run in the checks' order. A failure's
 * message starts with the check's name (Maven prints dynamic tests as {@code layerContract()[3]}), and
 * says when a check it relies on failed before it.
 */
final class Contracts {
  private Contracts() {}

  static Stream<DynamicTest> tests(List<Check> checks) {
    Check.Sequence sequence = new Check.Sequence();
    return checks.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Check.Outcome outcome = sequence.run(c);
      if (outcome.failure().isPresent()) throw new AssertionError(c.name() + ": " + outcome.failure().get());
    }));
  }
}
