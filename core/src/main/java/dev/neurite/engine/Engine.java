package dev.neurite.engine;

import dev.neurite.run.SweepRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Somewhere other than this JVM that runs Neurite's work: a sweep's trials, a run's predictions over a
 * table, a data-parallel training run. Engines are plugins of the command line, found by name through {@link java.util.ServiceLoader}
 * ({@link Engines#named}); the spark engine's jar registers one. The experiment is the same wherever it
 * runs: the engine is chosen on the command line ({@code --engine spark --master local[2]}).
 */
public interface Engine {
  /** The name {@code --engine} takes. */
  String name();

  /** Connects to the engine; {@link Settings#master()} is null when the engine's own configuration names it (spark-submit). */
  Session start(Settings settings);

  /**
   * What the command line says about the engine: its master URL (or null), the plugin directories every
   * task loads, and the kernel threads each task uses.
   */
  record Settings(String master, List<Path> pluginPaths, int threadsPerTask) {}

  /** A connection to the engine, open until closed. */
  interface Session extends AutoCloseable {
    /** What a run's {@code manifest.json} records under {@code engine}: the engine's name, its master, its application. */
    Map<String, Object> description();

    /** Runs a sweep's trials as the engine's tasks, each through {@link SweepRun#runTrial}. */
    SweepRun.TrialRunner trials();

    /**
     * Scores the table {@code input} (a CSV file with a header, or Parquet) with the completed run {@code runDir}
     * into {@code output} (Parquet, or CSV when it ends in {@code .csv}), partition by partition; returns the
     * rows written.
     */
    long predict(Path runDir, String input, String output);

    /**
     * Trains {@code configs} (with {@code overrides}) as a synchronous data-parallel run of {@code workers} tasks
     * scheduled together, each computing its share of every batch's gradient groups ({@code training.gradient_groups});
     * the first writes {@code runDir}. When {@code runDir} holds an interrupted run, it is resumed (pass its
     * {@code config.yaml} and no overrides). {@code progress} hears each finished epoch; returns when the run has ended.
     */
    void train(List<Path> configs, List<String> overrides, Path runDir, int workers, Consumer<String> progress);

    @Override
    void close();
  }
}
