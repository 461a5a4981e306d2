package dev.neurite.inference;

import dev.neurite.spi.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a table of predictions ({@code predict}'s CSV, the spark engine's Parquet): the class when
 * the loss reads classes, then one value per output, named by what it is ({@code p_j} probabilities,
 * {@code score_j} scores, {@code y_j} values).
 */
public final class PredictionColumns {
  private PredictionColumns() {}

  /** Whether a row starts with the predicted class. */
  public static boolean hasClass(Loss.Reading reading, int width) {
    return switch (reading) {
      case CLASS_LOGITS, CLASS_LOG_PROBABILITIES, CLASS_SCORES -> true;
      case BINARY_LOGITS -> width == 1;
      default -> false;
    };
  }

  /** The column names: {@code class} (when there is one), then the values'. */
  public static List<String> names(Loss.Reading reading, int width) {
    List<String> cols = new ArrayList<>();
    if (hasClass(reading, width)) cols.add("class");
    String prefix = switch (reading) {
      case CLASS_LOGITS, CLASS_LOG_PROBABILITIES, BINARY_LOGITS -> "p_";
      case CLASS_SCORES -> "score_";
      default -> "y_";
    };
    for (int j = 0; j < width; j++) cols.add(prefix + j);
    return cols;
  }

  /** The values after the class of one row of outputs: its probabilities, or the outputs themselves (scores, values). */
  public static float[] values(Loss.Reading reading, Prediction p) {
    return reading == Loss.Reading.CLASS_SCORES || reading == Loss.Reading.VALUES ? p.outputs() : p.probabilities();
  }
}
