package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code sweep:} trials over config paths, run by {@code ./neurite sweep}: the grid of every
 * combination of the listed values, or seeded random search, within a trial budget; ranked by a
 * final metric.
 */
public record SweepSpec(
    @Doc("grid: every combination of the values, in order; random: draws from the values or ranges") @Default("grid") Method method,
    @Doc("the trial budget: at most this many trials (0: the whole grid; random search needs it)") @Default("0") @Min(0) int trials,
    @Doc("what ranks the trials: <split>.<metric> of the final metrics, e.g. test.accuracy or validation.loss") String metric,
    @Doc("max or min: which end of the metric is best") @Default("max") Goal goal,
    @Doc("the config paths to vary") List<Parameter> parameters) {

  public enum Method { GRID, RANDOM }

  public enum Goal { MAX, MIN }

  /** One varied config path: a list of values (YAML of any kind), or for random search a numeric range. */
  public record Parameter(
      @Doc("a config path, as for --set: optimizer.lr, model.layers[0].units") String path,
      @Doc("the candidate values (grid: all of them; random: one drawn per trial)") @Default("[]") List<Node> values,
      @Doc("random search: the lower end of a numeric range") Optional<Double> min,
      @Doc("random search: the upper end of the range") Optional<Double> max,
      @Doc("random search: draw uniformly in log space (e.g. learning rates)") @Default("false") boolean log,
      @Doc("random search: round the drawn number to a whole number") @Default("false") boolean integer) {
    public Parameter {
      if (values.isEmpty() && (min.isEmpty() || max.isEmpty())) {
        throw new IllegalArgumentException("sweep parameter " + path + " needs values: [...] or min: and max:");
      }
      if (!values.isEmpty() && (min.isPresent() || max.isPresent())) {
        throw new IllegalArgumentException("sweep parameter " + path + " has both values and a range; give one");
      }
      if (min.isPresent() && max.isPresent() && !(max.get() > min.get())) {
        throw new IllegalArgumentException("sweep parameter " + path + ": max must be greater than min");
      }
      if (log && min.isPresent() && min.get() <= 0) throw new IllegalArgumentException("sweep parameter " + path + ": log needs min > 0");
    }
  }

  public SweepSpec {
    if (parameters.isEmpty()) throw new IllegalArgumentException("a sweep needs at least one parameter");
    if (method == Method.GRID && parameters.stream().anyMatch(p -> p.values().isEmpty())) {
      throw new IllegalArgumentException("a grid sweep needs values: [...] for every parameter; ranges are for method: random");
    }
    if (method == Method.RANDOM && trials == 0) throw new IllegalArgumentException("random search needs a trial budget: trials: N");
    if (!metric.matches("(train|validation|test)\\.[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("metric must be <split>.<metric> with split train, validation or test, got '" + metric + "'");
    }
  }
}
