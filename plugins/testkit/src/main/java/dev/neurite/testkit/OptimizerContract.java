package dev.neurite.testkit;

import dev.neurite.check.OptimizerChecks;
import dev.neurite.spi.Optimizer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Extend this to prove an {@link Optimizer} correct: it descends a quadratic, it is deterministic,
 * and its {@code state()} is complete (a loaded copy continues identically).
 */
public abstract class OptimizerContract {
  protected abstract Optimizer create();

  /** Steps the optimizer, as created, needs to bring the test quadratic to 1% of its start. */
  protected int steps() {
    return 500;
  }

  @TestFactory
  Stream<DynamicTest> optimizerContract() {
    return Contracts.tests(OptimizerChecks.of(this::create, steps()));
  }
}
