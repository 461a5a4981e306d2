package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;

/** {@code data.split:} fractions of the shuffled source; they add up to 1. */
public record SplitSpec(
    @Doc("fraction used for training") @Min(value = 0, exclusive = true) @Max(1) double train,
    @Doc("fraction held out for validation, evaluated every epoch") @Default("0") @Min(0) @Max(1) double validation,
    @Doc("fraction held out for the final test") @Default("0") @Min(0) @Max(1) double test,
    @Doc("keep each class's share the same in every split (targets must be class indices)") @Default("false") boolean stratify) {

  public SplitSpec {
    double sum = train + validation + test;
    if (Math.abs(sum - 1.0) > 1e-9) {
      throw new IllegalArgumentException("split fractions must add up to 1, but train " + train + " + validation "
          + validation + " + test " + test + " = " + (float) sum);
    }
  }
}
