package dev.neurite.config;

import dev.neurite.nn.Node;
import dev.neurite.spi.Doc;
import java.util.List;
import java.util.Optional;

/**
 * {@code model:}: the layers, in order. The input shape is taken from the data. A layer may take a
 * {@code name} and name its {@code inputs} (earlier layers' names, or {@code input} for the model's
 * input), so that the model can branch and merge; by default a layer reads the previous one.
 */
public record ModelSpec(@Doc("the layers, applied in order; each may have name:, inputs: and trainable: false") List<Node> layers,
                        @Doc("start from these weights instead of the initializers (a run directory or a .safetensors file)")
                        Optional<InitFromSpec> initFrom) {
  public ModelSpec {
    if (layers.isEmpty()) throw new IllegalArgumentException("a model needs at least one layer");
  }
}
