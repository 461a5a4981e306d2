package dev.neurite.config;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.Default;
import dev.neurite.spi.RandomStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
  public LoadedExperiment load(Path file, UnaryOperator<String> env) {
    return load(List.of(file), List.of(), env);
  }

  /**
   * Loads {@code files} merged in order (a later file's mappings merge into the earlier ones key by
   * key; other values replace), then applies the {@code --set key.path=value} {@code overrides}.
   */
  public LoadedExperiment load(List<Path> files, List<String> overrides, UnaryOperator<String> env) {
    Path file = files.get(0);
    String display = file.toString();
    ConfigLayers layers = new ConfigLayers();
    Node root = null;
    for (Path f : files) {
      Node layer = YamlFiles.compose(f, f.toString());
      if (layer == null) {
        if (files.size() > 1) continue; // an empty overlay changes nothing
        throw new ConfigException(new ConfigError(new Position(display, 1, 1), "", "the file is empty; an experiment needs at least "
            + "name, data, model, loss, optimizer and training"));
      }
      if (root != null && !(layer instanceof MappingNode)) {
        throw new ConfigException(new ConfigError(new Position(f.toString(), 1, 1), "", "a config to merge must be a mapping of keys"));
      }
      layers.claim(layer, new ConfigLayers.Origin(f.toString(), f.toAbsolutePath().getParent()));
      root = root == null ? layer : ConfigLayers.merge(root, layer);
    }
    if (root == null) {
      throw new ConfigException(new ConfigError(new Position(display, 1, 1), "", "every config file is empty"));
    }
    List<ConfigError> setErrors = new ArrayList<>();
    for (int i = 0; i < overrides.size(); i++) layers.set(root, overrides.get(i), i + 1, setErrors);
    if (!setErrors.isEmpty()) throw new ConfigException(setErrors);
    List<ConfigError> envErrors = new ArrayList<>();
    EnvInterpolation.apply(root, "", env, display, layers, envErrors);
    if (!envErrors.isEmpty()) throw new ConfigException(envErrors);
    Path baseDir = file.toAbsolutePath().getParent();
    ConfigBinder seedBinder = new ConfigBinder(display, baseDir, registry, 0).withLayers(layers);
    long seed = readSeed(root, seedBinder);
    Map<String, RandomStream> streams = new LinkedHashMap<>();
    ConfigBinder binder = new ConfigBinder(display, baseDir, registry,
        path -> streams.computeIfAbsent(path, p -> RandomStream.derive(seed, p))).withLayers(layers);
    ConfigBinder.Bound bound = root instanceof MappingNode
        ? binder.bind(root, ExperimentSpec.class, "")
        : ConfigBinder.Bound.FAILED;
    if (!(root instanceof MappingNode)) {
      binder.errors().add(new ConfigError(binder.position(root), "", "an experiment file must be a mapping of keys "
          + "(name, seed, data, model, loss, optimizer, regularizers, training, metrics, callbacks)"));
    }
    List<ConfigError> errors = binder.errors();
    if (!errors.isEmpty() || !bound.ok()) throw new ConfigException(errors);
    ExperimentSpec spec = (ExperimentSpec) bound.value();
    if (spec.determinism() == ExperimentSpec.Determinism.STRICT && !binder.nondeterministic().isEmpty()) {
      List<ConfigError> refused = new ArrayList<>();
      binder.nondeterministic().forEach((path, what) -> refused.add(new ConfigError(binder.positions().getOrDefault(path,
          new Position(display, 1, 1)), path, what.replaceFirst(" \\(", " is declared nondeterministic (") + "; determinism: strict "
          + "(the default) refuses it. Set determinism: relaxed to accept results that may differ from run to run")));
      throw new ConfigException(refused);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> resolved = (Map<String, Object>) bound.resolved();
    return new LoadedExperiment(file, spec, resolved, Map.copyOf(binder.positions()),
        List.copyOf(files), List.copyOf(overrides), Map.copyOf(binder.nondeterministic()), Collections.unmodifiableMap(streams));
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
