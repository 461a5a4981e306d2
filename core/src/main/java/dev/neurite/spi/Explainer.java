package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An explanation method, of one of two shapes: {@link Local} attributes each explained sample's output
 * to its input values (saliency, integrated gradients); {@link Global} measures how much each feature
 * group matters to the model over a whole split (permutation importance). Either sees the trained
 * model only through {@link ExplainedModel}, in inference mode. A method that draws random numbers
 * takes its {@link RandomStream} in its constructor, as every component does, so its results repeat.
 */
public interface Explainer {
  /**
   * Refuses samples of a shape the method cannot explain (occlusion needs images) with an
   * {@link IllegalArgumentException} saying why, without the method's name (the caller adds it);
   * {@code validate} calls it, so a config's {@code explain:} section fails before training, not after.
   */
  default void check(Shape sampleShape) {}

  /** Per-sample attributions. */
  interface Local extends Explainer {
    /**
     * The attributions of {@code inputs} ({@code [n, ...sample shape]}) toward output {@code targets[i]}
     * of sample {@code i}: a tensor of the inputs' shape.
     */
    Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets);
  }

  /** Importance of feature groups over a split, measured by the run's metrics. */
  interface Global extends Explainer {
    Importance importance(ExplainedModel model, Dataset data, Scoring scoring);
  }

  /**
   * Attributions, and per-sample figures a method reports beside them (integrated gradients'
   * completeness error), by name, one value per sample.
   */
  record Attributions(Tensor values, Map<String, double[]> perSample) {
    public Attributions(Tensor values) {
      this(values, Map.of());
    }
  }

  /** The run's metrics on a data set (the split as it is, or changed), and which way each one improves. */
  interface Scoring {
    Map<String, Double> score(Dataset data);

    boolean higherIsBetter(String metric);
  }

  /**
   * Per metric, each feature group's importance: how much worse the metric gets when the group is
   * disturbed (mean and standard deviation over repeats), beside the undisturbed {@code baseline}.
   */
  record Importance(List<String> groups, Map<String, Double> baseline, Map<String, double[]> mean, Map<String, double[]> std) {}
}
