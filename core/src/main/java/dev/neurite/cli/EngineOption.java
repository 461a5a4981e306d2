package dev.neurite.cli;

import dev.neurite.engine.Engine;
import dev.neurite.engine.Engines;
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

  /** Connects to the engine named by --engine. */
  Engine.Session start(PluginOptions plugins, Integer threadsPerTask) {
    Engine e = Engines.named(engine, EngineOption.class.getClassLoader());
    return e.start(new Engine.Settings(master, plugins.paths(), threadsPerTask == null ? 1 : threadsPerTask));
  }
}
