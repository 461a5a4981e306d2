package dev.neurite.testkit;

import dev.neurite.check.KnownUpdates;
import dev.neurite.check.OptimizerChecks;
import dev.neurite.spi.Optimizer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Extend this to prove an {@link Optimizer} correct: it is deterministic, it descends a quadratic, its
 * {@code state()} is complete (a loaded copy continues identically), and it reproduces the first
 * updates you know to be right ({@link #knownUpdates}), which is what catches a missing bias
 * correction or a wrong coefficient.
 */
public abstract class OptimizerContract {
  protected abstract Optimizer create();

  /** Steps the optimizer, as created, needs to bring the test quadratic to 1% of its start. */
  protected int steps() {
    return 500;
  }

  /** First updates worked out by hand or by a reference implementation (none by default). */
  protected List<KnownUpdates> knownUpdates() {
    return List.of();
  }

  @TestFactory
  Stream<DynamicTest> optimizerContract() {
    return Contracts.tests(OptimizerChecks.of(this::create, steps(), knownUpdates()));
  }
}
