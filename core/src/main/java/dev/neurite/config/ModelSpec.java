package dev.neurite.config;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import java.util.List;

/** {@code model:}: the layers, in order. The input shape is taken from the data. */
public record ModelSpec(@Doc("the layers, applied in order") List<Layer> layers) {
  public ModelSpec {
    if (layers.isEmpty()) throw new IllegalArgumentException("a model needs at least one layer");
  }
}
