package dev.neurite.testkit;

import dev.neurite.check.Check;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Turns the core's checks into JUnit dynamic tests, one per check. */
final class Contracts {
  private Contracts() {}

  static Stream<DynamicTest> tests(List<Check> checks) {
    return checks.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> c.body().run()));
  }
}
