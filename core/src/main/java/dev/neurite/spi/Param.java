package dev.neurite.spi;

import dev.neurite.tensor.Tensor;

/**
 * A trainable parameter: its value, the gradient accumulated by backward passes, its full name
 * ({@code layers.0.weight}: the key in {@code weights.safetensors}) and whether weight penalties
 * apply to it (weights yes, biases no).
 */
public record Param(String name, Tensor value, Tensor grad, boolean decays) {
  public Param {
    if (!value.shape().equals(grad.shape())) {
      throw new IllegalArgumentException("param " + name + ": value " + value.shape()
          + " and gradient " + grad.shape() + " differ in shape");
    }
  }

  public void zeroGrad() {
    grad.fill(0f);
  }
}
