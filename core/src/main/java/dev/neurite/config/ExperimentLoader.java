package dev.neurite.config;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.Default;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * YAML file -> validated {@link ExperimentSpec}. Every problem in the file is collected and thrown
 * together as one {@link ConfigException}; nothing reads data before this succeeds.
 */
public final class ExperimentLoader {
  private final ComponentRegistry registry;

  public ExperimentLoader(ComponentRegistry registry) {
    this.registry = registry;
  }

  public LoadedExperiment load(Path file) {
    return load(file, System::getenv);
  }

  /** Loads {@code file}, taking {@code ${env:NAME}} references from {@code env}. */
  public LoadedExperiment load(Path file, java.util.function.UnaryOperator<String> env) {
    String display = file.toString();
    Node root = YamlFiles.compose(file, display);
    if (root == null) {
      throw new ConfigException(new ConfigError(new Position(display, 1, 1), "", "the file is empty; an experiment needs at least "
          + "name, data, model, loss, optimizer and training"));
    }
    List<ConfigError> envErrors = new java.util.ArrayList<>();
    EnvInterpolation.apply(root, "", env, display, envErrors);
    if (!envErrors.isEmpty()) throw new ConfigException(envErrors);
    Path baseDir = file.toAbsolutePath().getParent();
    ConfigBinder seedBinder = new ConfigBinder(display, baseDir, registry, 0);
    long seed = readSeed(root, seedBinder);
    ConfigBinder binder = new ConfigBinder(display, baseDir, registry, seed);
    ConfigBinder.Bound bound = root instanceof MappingNode
        ? binder.bind(root, ExperimentSpec.class, "")
        : ConfigBinder.Bound.FAILED;
    if (!(root instanceof MappingNode)) {
      binder.errors().add(new ConfigError(binder.position(root), "", "an experiment file must be a mapping of keys "
          + "(name, seed, data, model, loss, optimizer, regularizers, training, metrics, callbacks)"));
    }
    List<ConfigError> errors = binder.errors();
    if (!errors.isEmpty() || !bound.ok()) throw new ConfigException(errors);
    @SuppressWarnings("unchecked")
    Map<String, Object> resolved = (Map<String, Object>) bound.resolved();
    return new LoadedExperiment(file, (ExperimentSpec) bound.value(), resolved, Map.copyOf(binder.positions()));
  }

  /** The seed is needed before any component is created, since each derives its random stream from it. */
  private static long readSeed(Node root, ConfigBinder binder) {
    if (root instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("seed")) {
          ConfigBinder.Bound b = binder.bind(t.getValueNode(), long.class, "seed");
          if (b.ok()) return (Long) b.value();
          // the main pass reports the problem
        }
      }
    }
    for (var c : ExperimentSpec.class.getRecordComponents()) {
      if (c.getName().equals("seed")) return Long.parseLong(c.getAnnotation(Default.class).value());
    }
    throw new IllegalStateException("ExperimentSpec has no seed");
  }
}
