package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;

/** {@code training:} the loop's settings. */
public record TrainingSpec(
    @Doc("passes over the training split") @Min(1) int epochs,
    @Doc("samples per optimizer step") @Default("32") @Min(1) int batchSize,
    @Doc("reshuffle the training split every epoch (from the seed)") @Default("true") boolean shuffle) {}
