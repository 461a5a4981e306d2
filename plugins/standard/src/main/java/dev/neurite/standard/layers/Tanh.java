package dev.neurite.standard.layers;

import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;

@Doc("Hyperbolic tangent")
public final class Tanh extends Activation {
  @Override
  protected float apply(float x) {
    return (float) Math.tanh(x);
  }

  @Override
  protected float derivative(float x, float y) {
    return 1f - y * y;
  }
}
