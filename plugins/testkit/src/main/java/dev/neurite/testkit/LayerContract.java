package dev.neurite.testkit;

import dev.neurite.check.LayerChecks;
import dev.neurite.spi.Layer;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Extend this to prove a {@link Layer} correct: shapes, param naming, gradients against finite
 * differences in training and inference mode, repeatable inference with independent rows,
 * determinism under a seed, and state save/load for a {@link dev.neurite.spi.Stateful} layer.
 *
 * <pre>{@code
 * class MishTest extends LayerContract {
 *   protected Layer create(RandomStream random) { return new Mish(); }
 *   protected Shape inputShape() { return Shape.of(6); }
 * }
 * }</pre>
 */
public abstract class LayerContract {
  /** A fresh layer as configured under test; randomness (dropout masks, init) must come from {@code random}. */
  protected abstract Layer create(RandomStream random);

  /** The per-sample input shape to test with. */
  protected abstract Shape inputShape();

  protected int batchSize() {
    return 3;
  }

  @TestFactory
  Stream<DynamicTest> layerContract() {
    return Contracts.tests(LayerChecks.of(this::create, inputShape(), batchSize()));
  }
}
