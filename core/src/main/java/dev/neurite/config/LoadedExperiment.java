package dev.neurite.config;

import dev.neurite.spi.RandomStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment: the bound spec (components instantiated), the resolved tree with every
 * default filled in, and where each config path was written, for errors found later. {@code file}
 * is the first of the config {@code files} merged, {@code overrides} the {@code --set} values, and
 * {@code nondeterministic} the components declared so (path to "name (reason)"), allowed only with
 * {@code determinism: relaxed}; {@code streams} are the components' random streams by config path,
 * which checkpoints save.
 */
public record LoadedExperiment(Path file, ExperimentSpec spec, Map<String, Object> resolved, Map<String, Position> positions,
                               List<Path> files, List<String> overrides, Map<String, String> nondeterministic,
                               Map<String, RandomStream> streams) {
  public LoadedExperiment(Path file, ExperimentSpec spec, Map<String, Object> resolved, Map<String, Position> positions) {
    this(file, spec, resolved, positions, List.of(file), List.of(), Map.of(), Map.of());
  }

  /** Where {@code path} (or its nearest written ancestor) is in the file. */
  public Position positionOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Position pos = positions.get(p);
      if (pos != null) return pos;
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return new Position(file.toString(), 1, 1);
  }

  /** The resolved config as YAML: what the run directory records as config.yaml. */
  public String resolvedYaml() {
    return YamlFiles.dump(resolved);
  }
}
