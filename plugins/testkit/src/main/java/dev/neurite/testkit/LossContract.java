package dev.neurite.testkit;

import dev.neurite.check.LossChecks;
import dev.neurite.spi.Loss;
import dev.neurite.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Extend this to prove a {@link Loss} correct: it accepts the shapes, its gradient matches finite
 * differences, it is the mean over the batch, and it is finite and repeatable.
 */
public abstract class LossContract {
  protected abstract Loss create();

  /** A batch of model outputs (at least 2 rows). */
  protected abstract Tensor output();

  /** The matching batch of targets. */
  protected abstract Tensor target();

  @TestFactory
  Stream<DynamicTest> lossContract() {
    return Contracts.tests(LossChecks.of(this::create, output(), target()));
  }
}
