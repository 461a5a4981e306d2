package dev.neurite.config;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.DataSource;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Transform;
import java.util.List;
import java.util.Optional;

/**
 * {@code data:}: the main source, cut by {@code split}; optional separate validation and test
 * sources; transforms fitted on the training split; augmentations of training batches.
 */
public record DataSpec(
    @Doc("the data source; `split` cuts it into train, validation and test") DataSource source,
    @Doc("a separate validation source (then split.validation must be 0)") Optional<DataSource> validation,
    @Doc("a separate test source (then split.test must be 0)") Optional<DataSource> test,
    @Doc("fractions of the source for train, validation and test") @Default("{train: 1.0}") SplitSpec split,
    @Doc("preprocessing, fitted on the training split only, applied in order to every split") @Default("[]") List<Transform> transforms,
    @Doc("random changes to training batches, applied after the transforms; off at evaluation") @Default("[]") List<Augmentation> augment) {}
