package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.tensor.Tensor;

@Doc("All ones")
public final class Ones implements Initializer {
  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    tensor.fill(1f);
  }
}
