package dev.neurite.spark;

import dev.neurite.inference.Predictor;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.tensor.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an executor JVM loads once and keeps for every task it runs: the plugins (per list of plugin
 * directories) and each run's {@link Predictor} (per run directory). Tasks that run at once share them;
 * both are thread-safe.
 */
final class OnExecutor {
  private static final Map<List<String>, ComponentRegistry> REGISTRIES = new ConcurrentHashMap<>();
  private static final Map<String, Predictor> PREDICTORS = new ConcurrentHashMap<>();

  private OnExecutor() {}

  static ArrayList<String> pathStrings(List<Path> paths) {
    return new ArrayList<>(paths.stream().map(p -> p.toAbsolutePath().toString()).toList());
  }

  /** The built-in components and the plugins in {@code pluginPaths}, discovered once per executor. */
  static ComponentRegistry registry(List<String> pluginPaths) {
    return REGISTRIES.computeIfAbsent(List.copyOf(pluginPaths), paths -> {
      ComponentRegistry registry = ComponentRegistry.discover(OnExecutor.class.getClassLoader(), paths.stream().map(Path::of).toList());
      for (String problem : registry.problems()) System.err.println("neurite: warning: " + problem + " (the other plugins are loaded)");
      return registry;
    });
  }

  /** The run's model, loaded once per executor. */
  static Predictor predictor(String runDir, List<String> pluginPaths) {
    return PREDICTORS.computeIfAbsent(runDir, dir -> Predictor.load(Path.of(dir), registry(pluginPaths)));
  }

  /** The kernels' threads per task ({@code spark.task.cpus}): results never depend on it. */
  static void threads(int perTask) {
    if (Parallel.threads() != perTask) Parallel.setThreads(perTask);
  }
}
