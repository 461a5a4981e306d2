package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * A random change to training batches (shift, flip, noise...), applied after the transforms, to
 * training batches only, never at evaluation. An augmentation draws from the {@link RandomStream}
 * injected into its constructor, which is derived from the seed and its config path, and batches
 * are augmented in training order, so results are the same with and without prefetching.
 */
public interface Augmentation {
  /** Throws {@link IllegalArgumentException} when the samples' shape does not suit, e.g. not {@code [C, H, W]}. */
  default void check(Shape sampleShape) {}

  /** Changes {@code features} ({@code [n, ...sample shape]}) in place. */
  void apply(Tensor features);
}
