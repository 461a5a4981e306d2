package dev.neurite.check;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.config.ConfigError;
import dev.neurite.config.ConfigException;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Regularizer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the contract of an installed component ({@code ./neurite plugins verify}), configured by
 * its {@link Example} (or its defaults when it has none).
 */
public final class ComponentVerifier {
  /** The outcomes for one component; {@code note} says why nothing ran (no contract for its kind). */
  public record Verdict(ComponentType<?> type, List<Check.Outcome> outcomes, String note) {
    public boolean passed() {
      return outcomes.stream().allMatch(o -> o.failure().isEmpty());
    }
  }

  private static final int BATCH = 3;

  private ComponentVerifier() {}

  public static Verdict verify(ComponentRegistry registry, ComponentType<?> type) {
    Example example = type.implementation().getAnnotation(Example.class);
    String params = example == null ? "" : example.value();
    Shape shape = Shape.of(example == null ? new int[] {6} : example.shape());
    int steps = example == null ? 500 : example.steps();
    List<Check> checks;
    try {
      checks = checks(registry, type, params, shape, steps);
    } catch (ConfigException e) {
      String why = String.join("; ", e.errors().stream().map(ConfigError::message).toList());
      return new Verdict(type, List.of(new Check.Outcome("create from its @Example", Optional.of(why))), "");
    } catch (RuntimeException e) {
      return new Verdict(type, List.of(new Check.Outcome("create from its @Example", Optional.of(String.valueOf(e.getMessage())))), "");
    }
    if (checks == null) return new Verdict(type, List.of(), "no contract for " + type.kind().plural() + " yet");
    List<Check.Outcome> outcomes = new ArrayList<>();
    Check.Sequence sequence = new Check.Sequence();
    for (Check c : checks) outcomes.add(sequence.run(c));
    return new Verdict(type, outcomes, "");
  }

  private static List<Check> checks(ComponentRegistry registry, ComponentType<?> type, String params, Shape shape, int steps) {
    ComponentKind<?> kind = type.kind();
    if (kind == ComponentKind.LAYER) {
      LayerChecks.Factory factory = random -> (Layer) create(registry, type, params, "model.layers[0]", random);
      factory.create(new RandomStream(0)); // fail early, as one outcome, when it cannot be created
      return LayerChecks.of(factory, shape, BATCH);
    }
    if (kind == ComponentKind.LOSS) {
      Supplier<Loss> factory = () -> (Loss) create(registry, type, params, "loss", new RandomStream(0));
      Tensor output = FiniteDifferences.awayFromZero(shape.prepend(BATCH), 5);
      return LossChecks.of(factory, output, targets(factory.get(), shape));
    }
    if (kind == ComponentKind.OPTIMIZER) {
      Supplier<Optimizer> factory = () -> (Optimizer) create(registry, type, params, "optimizer", new RandomStream(0));
      factory.get();
      return OptimizerChecks.of(factory, steps);
    }
    if (kind == ComponentKind.REGULARIZER) {
      Supplier<Regularizer> factory = () -> (Regularizer) create(registry, type, params, "regularizers[0]", new RandomStream(0));
      factory.get();
      return RegularizerChecks.of(factory);
    }
    create(registry, type, params, kind.name().replace(' ', '_'), new RandomStream(0)); // no contract: it must still build
    return null;
  }

  private static Object create(ComponentRegistry registry, ComponentType<?> type, String params, String path, RandomStream random) {
    return ComponentSpecs.create(registry, type, params, path, p -> p.equals(path) ? random : RandomStream.derive(1, p));
  }

  /**
   * Targets a loss accepts: values in (0, 1) of the output's shape, normalized to sum to 1 per row
   * (regression targets and class probabilities alike), else class indices.
   */
  private static Tensor targets(Loss loss, Shape shape) {
    RandomStream r = new RandomStream(6);
    Tensor probabilities = Tensor.zeros(shape.prepend(BATCH));
    int w = shape.size();
    for (int row = 0; row < BATCH; row++) {
      float sum = 0;
      for (int j = 0; j < w; j++) sum += probabilities.data()[row * w + j] = 0.1f + r.nextFloat();
      for (int j = 0; j < w; j++) probabilities.data()[row * w + j] /= sum;
    }
    try {
      loss.check(shape, probabilities);
      return probabilities;
    } catch (IllegalArgumentException notProbabilities) {
      Tensor indices = Tensor.zeros(BATCH, 1);
      for (int row = 0; row < BATCH; row++) indices.set(row, row % Math.max(1, w));
      return indices;
    }
  }
}
