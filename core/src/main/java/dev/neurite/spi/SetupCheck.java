package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import java.util.List;

/**
 * A component that can tell, before anything trains, whether it fits the experiment it is part of:
 * a metric checks the model's outputs, a callback or schedule the metric columns it watches.
 * {@code validate} and {@code train} call {@link #check} once the model is built and the data read;
 * an {@link IllegalArgumentException} becomes a config error at the component's position.
 * Implemented by metrics, callbacks and schedules.
 */
public interface SetupCheck {
  /** Throws {@link IllegalArgumentException} saying what does not fit and what would. */
  void check(Setup setup);

  /**
   * The experiment as a component sees it: the model's output and the targets per sample, how the
   * loss reads the outputs, and the columns of {@code metrics.csv} each epoch will have
   * ({@code train_loss}, {@code validation_accuracy}, {@code lr_factor}, ...).
   */
  record Setup(Shape output, Shape target, Loss.Reading reading, List<String> metricColumns) {
    public Setup {
      metricColumns = List.copyOf(metricColumns);
    }

    /**
     * Throws unless {@code column} (the value of the parameter {@code key}, e.g. a callback's
     * {@code monitor}) is a column the run writes, listing them and the closest one.
     */
    public void requireColumn(String key, String column) {
      if (!metricColumns.contains(column)) {
        throw new IllegalArgumentException(key + ": '" + Messages.echo(column) + "' is not a column this run writes " + metricColumns
            + "; list the metric under metrics: (and add a validation split for validation_*)" + Suggestions.didYouMean(column, metricColumns));
      }
    }

    /** The number of classes the model scores: its output's size, or 2 for a single binary output. */
    public int classes() {
      int n = output.size();
      return n == 1 ? 2 : n;
    }
  }
}
