package dev.neurite.spi;

import dev.neurite.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a stateful component needs to continue exactly where it left off: named tensors (an
 * optimizer's moment estimates, a batch-norm layer's running statistics) and named numbers (step
 * counts, random stream states). Checkpoints save it; numbers keep their exact {@code long} or
 * {@code double} value.
 */
public record State(Map<String, Tensor> tensors, Map<String, Number> numbers) {
  public static final State EMPTY = new State(Map.of(), Map.of());

  public State {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }

  public boolean isEmpty() {
    return tensors.isEmpty() && numbers.isEmpty();
  }
}
