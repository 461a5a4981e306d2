package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Param;
import jakarta.inject.Inject;

@Doc("Non-negativity constraint: after each step, negative values are set to 0")
public final class NonNegative extends Constraint {
  public record Params(@Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  @Inject
  public NonNegative(Params params) {
    super(params.applyTo());
  }

  @Override
  void project(Param param) {
    float[] w = param.value().data();
    for (int i = 0; i < w.length; i++) if (w[i] < 0) w[i] = 0f;
  }
}
