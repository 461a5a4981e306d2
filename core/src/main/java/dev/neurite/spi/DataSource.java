package dev.neurite.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * Where samples come from. Reading happens in {@link #load}, after the whole config has been
 * validated. Problems with the data throw {@link NeuriteException} naming the file, the line or
 * record, the column and the offending value.
 */
public interface DataSource {
  Dataset load();

  /**
   * Preprocessing the source's rows need before any configured transform, fitted on the training
   * split like one (for example one-hot encoding of categorical columns, filling missing cells
   * with training means). Core applies the main source's preprocessing to every split.
   */
  default List<Transform> preprocessing() {
    return List.of();
  }

  /**
   * Whether this source gives labels (targets). A source configured without them (an IDX images file
   * alone, a features array alone) serves {@code predict}; {@code train} refuses it before reading any data.
   */
  default boolean labeled() {
    return true;
  }

  /**
   * Whether the rows are in time order (windows of a series): then {@code data.split} cuts them into
   * contiguous spans, training first, then validation, then test, without shuffling, so no later row
   * trains a model evaluated on an earlier one. Batches are still shuffled within the training span.
   */
  default boolean ordered() {
    return false;
  }

  /** The files this source reads, for the run's provenance. */
  default List<Path> files() {
    return List.of();
  }
}
