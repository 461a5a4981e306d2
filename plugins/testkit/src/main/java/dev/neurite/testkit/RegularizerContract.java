package dev.neurite.testkit;

import dev.neurite.check.RegularizerChecks;
import dev.neurite.spi.Regularizer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Extend this to prove a {@link Regularizer} correct: its gradient matches its penalty, and biases are left alone. */
public abstract class RegularizerContract {
  protected abstract Regularizer create();

  @TestFactory
  Stream<DynamicTest> regularizerContract() {
    return Contracts.tests(RegularizerChecks.of(this::create));
  }
}
