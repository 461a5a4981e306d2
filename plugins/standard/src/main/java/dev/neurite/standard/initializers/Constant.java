package dev.neurite.standard.initializers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Initializer;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Example("value: 0.1")
@Doc("Every value the same constant")
public final class Constant implements Initializer {
  public record Params(@Doc("the value") double value) {}

  private final float value;

  @Inject
  public Constant(Params params) {
    this.value = (float) params.value();
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    tensor.fill(value);
  }
}
