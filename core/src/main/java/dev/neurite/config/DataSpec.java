package dev.neurite.config;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import java.util.List;

/** {@code data:}: one source, split by fractions, then transformed. */
public record DataSpec(
    @Doc("the data source") DataSource source,
    @Doc("fractions of the source for train, validation and test") @Default("{train: 1.0}") SplitSpec split,
    @Doc("preprocessing, fitted on the training split only, applied in order") @Default("[]") List<dev.neurite.spi.Transform> transforms) {}
