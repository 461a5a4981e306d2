package dev.neurite.nn;

import dev.neurite.spi.Layer;
import java.util.List;

/**
 * A layer in a model graph: its optional name (for other layers' {@code inputs}) and the names of
 * its inputs, where {@code input} is the model's input and an empty list means the previous layer;
 * a layer that is not {@code trainable} is frozen (its params are not updated, and it runs in inference mode).
 */
public record Node(String name, List<String> inputs, Layer layer, boolean trainable) {
  public static final String MODEL_INPUT = "input";

  public Node {
    inputs = List.copyOf(inputs);
  }

  /** A trainable layer. */
  public Node(String name, List<String> inputs, Layer layer) {
    this(name, inputs, layer, true);
  }

  /** A layer fed by the previous one. */
  public static Node of(Layer layer) {
    return new Node(null, List.of(), layer);
  }
}
