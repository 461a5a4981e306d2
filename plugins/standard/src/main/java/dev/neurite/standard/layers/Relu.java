package dev.neurite.standard.layers;

import dev.neurite.spi.Doc;

@Doc("Rectified linear unit: max(0, x)")
public final class Relu extends Activation {
  @Override
  float apply(float x) {
    return x > 0f ? x : 0f;
  }

  @Override
  float derivative(float x, float y) {
    return x > 0f ? 1f : 0f;
  }
}
