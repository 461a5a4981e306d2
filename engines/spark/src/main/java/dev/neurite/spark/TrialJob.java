package dev.neurite.spark;

import dev.neurite.engine.Engine;
import dev.neurite.run.SweepRun;
import dev.neurite.run.TrainingRun;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One trial as the body of a Spark task: on an executor, {@link SweepRun#runTrial} with the executor's
 * plugins ({@link OnExecutor}). Everything it carries is plain text, so Spark can ship it to any executor
 * that sees the same paths.
 */
final class TrialJob implements Function<Integer, TrialJob.Outcome> {
  private static final long serialVersionUID = 1L;

  /** How the trial ended, sent back to the driver. */
  record Outcome(int number, String divergence, double seconds) implements Serializable {}

  private final int number;
  private final ArrayList<String> planned;
  private final ArrayList<String> configs;
  private final ArrayList<String> overrides;
  private final String directory;
  private final ArrayList<String> pluginPaths;
  private final int threads;
  private final LinkedHashMap<String, Object> engine;

  TrialJob(SweepRun.TrialTask task, Engine.Settings settings, Map<String, Object> engine) {
    number = task.number();
    planned = new ArrayList<>(task.planned());
    configs = new ArrayList<>(task.configs().stream().map(p -> p.toAbsolutePath().toString()).toList());
    overrides = new ArrayList<>(task.overrides());
    directory = task.directory().toAbsolutePath().toString();
    pluginPaths = OnExecutor.pathStrings(settings.pluginPaths());
    threads = settings.threadsPerTask();
    this.engine = new LinkedHashMap<>(engine);
  }

  @Override
  public Outcome call(Integer ignored) {
    OnExecutor.threads(threads);
    SweepRun.TrialTask task = new SweepRun.TrialTask(number, planned, configs.stream().map(Path::of).toList(), overrides, Path.of(directory));
    Map<String, Object> where = new LinkedHashMap<>(engine);
    TaskContext context = TaskContext.get();
    if (context != null) {
      where.put("executor", org.apache.spark.SparkEnv.get().executorId());
      where.put("task_attempt", context.attemptNumber());
    }
    List<String> commandLine = List.of("neurite", "sweep", "--engine", "spark");
    SweepRun.TrialResult r = SweepRun.runTrial(OnExecutor.registry(pluginPaths), task,
        new TrainingRun.Options(task.directory(), null, List.of(), commandLine, where, null),
        line -> System.err.println("neurite trial " + number + ": " + line));
    return new Outcome(r.number(), r.divergence(), r.seconds());
  }
}
