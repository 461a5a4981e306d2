package dev.neurite.standard.layers;

import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;

@Doc("Swish / SiLU (Ramachandran et al. 2017): x * sigmoid(x) (PyTorch's SiLU)")
public final class Swish extends Activation {
  @Override
  protected float apply(float x) {
    return (float) (x / (1 + Math.exp(-x)));
  }

  @Override
  protected float derivative(float x, float y) {
    double s = 1 / (1 + Math.exp(-x));
    return (float) (s + x * s * (1 - s));
  }
}
