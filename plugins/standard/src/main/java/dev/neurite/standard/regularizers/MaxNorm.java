package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import jakarta.inject.Inject;

@Doc("Max-norm constraint (Srivastava et al. 2014): after each step, every unit's incoming weight vector (a row of a "
    + "dense weight, a filter of a conv weight) is scaled down to L2 norm max_value if it is longer")
@Example("max_value: 2")
public final class MaxNorm extends Constraint {
  public record Params(
      @Doc("the largest allowed norm") @Default("3") @Min(value = 0, exclusive = true) double maxValue,
      @Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  private final double max;

  @Inject
  public MaxNorm(Params params) {
    super(params.applyTo());
    this.max = params.maxValue();
  }

  @Override
  void project(Param param) {
    scaleRows(param, norm -> Math.min(norm, max));
  }
}
