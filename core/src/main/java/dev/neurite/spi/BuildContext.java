package dev.neurite.spi;

import dev.neurite.tensor.Shape;

/** What the model gives a layer while it is built. */
public interface BuildContext {
  /**
   * Creates a zero-filled parameter named {@code <layer prefix><localName>} (for example
   * {@code layers.0.weight}) and registers it with the model. The layer initializes it.
   */
  Param param(String localName, Shape shape, boolean decays);

  /** The layer's path in the config, for messages: {@code model.layers[2]}. */
  String path();

  /**
   * Whether anything needs d(loss)/d(input) from this layer. When false (a first layer in training,
   * whose input is the data) the layer may skip computing it and return null from backward.
   */
  default boolean inputGradientNeeded() {
    return true;
  }

  /**
   * The run's {@code training.bptt}: a recurrent layer carries the gradient back through its state in blocks of
   * this many steps (counted in the order it reads the steps), as if its state were detached every this many
   * steps; 0, the default, for the whole sequence.
   */
  default int truncation() {
    return 0;
  }
}
