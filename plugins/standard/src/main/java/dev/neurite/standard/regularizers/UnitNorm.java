package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Param;
import jakarta.inject.Inject;

@Doc("Unit-norm constraint: after each step, every unit's incoming weight vector is scaled to L2 norm 1")
public final class UnitNorm extends Constraint {
  public record Params(@Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  @Inject
  public UnitNorm(Params params) {
    super(params.applyTo());
  }

  @Override
  void project(Param param) {
    scaleRows(param, norm -> norm == 0 ? 0 : 1);
  }
}
