package dev.neurite.cli;

import dev.neurite.engine.Engine;
import dev.neurite.engine.Engines;
import dev.neurite.run.RunDirectory;
import dev.neurite.train.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --engine NAME --master URL}: run the command's work on an engine (Spark) instead of in this JVM. */
final class EngineOption {
  @Option(names = "--engine", paramLabel = "NAME", description = "run on this engine instead of in this JVM: spark (docs/spark.md)")
  String engine;

  @Option(names = "--master", paramLabel = "URL", description = "the engine's master: local[2], spark://host:7077, yarn, k8s://...; "
      + "default: the engine's own configuration (spark-submit's --master)")
  String master;

  boolean given() {
    return engine != null;
  }

  /**
   * {@code train} or {@code resume} on the engine as a data-parallel run of {@code workers} workers into {@code runDir};
   * prints each epoch as the run writes it, then the final metrics from its summary.
   */
  void train(PluginOptions plugins, Integer threadsPerTask, List<Path> configs, List<String> overrides, Path runDir, int workers,
             PrintWriter out) {
    try (Engine.Session session = start(plugins, threadsPerTask)) {
      out.println("engine: " + session.description() + ", " + workers + " worker" + (workers == 1 ? "" : "s") + ", run " + runDir);
      out.flush();
      session.train(configs, overrides, runDir, workers, line -> {
        out.println(line);
        out.flush();
      });
    }
    Map<String, Object> summary = RunDirectory.readJsonObject(runDir.resolve(RunDirectory.SUMMARY));
    for (String split : List.of("train", "validation", "test")) {
      if (!(summary.get(split) instanceof Map<?, ?> metrics)) continue;
      StringBuilder b = new StringBuilder("  ").append(split).append(':');
      metrics.forEach((k, v) -> b.append("  ").append(k).append(' ').append(v instanceof Number n ? Numbers.format(n.doubleValue()) : v));
      out.println(b);
    }
    out.println("  weights: " + runDir.resolve(RunDirectory.WEIGHTS) + " (sha256 " + summary.get("weights_sha256") + ")");
    out.flush();
  }

  /** Connects to the engine named by --engine. */
  Engine.Session start(PluginOptions plugins, Integer threadsPerTask) {
    Engine e = Engines.named(engine, EngineOption.class.getClassLoader());
    return e.start(new Engine.Settings(master, plugins.paths(), threadsPerTask == null ? 1 : threadsPerTask));
  }
}
