package dev.neurite.spi;

import dev.neurite.tensor.Tensor;

/** Fills a new parameter tensor. Draws from the initializer's own injected {@link RandomStream}. */
public interface Initializer {
  /**
   * @param fanIn  inputs that feed one output unit
   * @param fanOut outputs one input unit feeds
   */
  void initialize(Tensor tensor, int fanIn, int fanOut);
}
