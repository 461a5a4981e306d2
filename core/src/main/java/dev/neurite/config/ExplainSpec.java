package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Min;
import java.util.List;

/**
 * {@code explain:} what {@code train} explains when the run has finished (into {@code RUN_DIR/explain}),
 * and what {@code ./neurite explain RUN_DIR} explains unless told otherwise.
 */
public record ExplainSpec(
    @Doc("the split whose rows are explained: train, validation or test") @Default("test") Split split,
    @Doc("explain the split's first N rows") @Default("8") @Min(1) int samples,
    @Doc("explain these rows of the split instead (0-based)") @Default("[]") List<Integer> rows,
    @Doc("the output explained per sample: predicted, true or an output index") @Default("predicted") String target,
    @Doc("the explanation methods") @Default("[saliency, gradient_x_input, integrated_gradients]") List<Explainer> methods,
    @Doc("check the local methods against a randomized model (Adebayo et al. 2018)") @Default("true") boolean sanityChecks) {

  public enum Split { TRAIN, VALIDATION, TEST }

  public ExplainSpec {
    if (methods.isEmpty()) throw new IllegalArgumentException("explain needs at least one method");
    if (!target.matches("predicted|true|[0-9]+")) {
      throw new IllegalArgumentException("target must be predicted, true or an output index (0, 1, ...), got '" + target + "'");
    }
    for (int r : rows) if (r < 0) throw new IllegalArgumentException("rows are 0-based indices, got " + r);
  }
}
