package dev.neurite.spark;

import dev.neurite.engine.Engine;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import dev.neurite.train.DataParallelRefusedException;
import dev.neurite.train.TrainingDivergedException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of a data-parallel run's barrier stage: worker {@code r} of {@code W} computes gradient groups
 * {@code r G / W} to {@code (r + 1) G / W} of every batch. Worker 0 trains (or resumes) the run directory as a
 * run of its own would; the others follow from the same checkpoint and write nothing. A task that fails makes
 * Spark restart the whole stage, and every worker then starts again from the newest checkpoint.
 */
final class DataParallelWorker extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<String> configs;
  private final ArrayList<String> overrides;
  private final String runDir;
  private final int groups;
  private final ArrayList<String> pluginPaths;
  private final int threads;
  private final LinkedHashMap<String, Object> engine;

  DataParallelWorker(List<Path> configs, List<String> overrides, Path runDir, int groups, Engine.Settings settings, Map<String, Object> engine) {
    this.configs = new ArrayList<>(configs.stream().map(p -> p.toAbsolutePath().toString()).toList());
    this.overrides = new ArrayList<>(overrides);
    this.runDir = runDir.toAbsolutePath().toString();
    this.groups = groups;
    this.pluginPaths = OnExecutor.pathStrings(settings.pluginPaths());
    this.threads = settings.threadsPerTask();
    this.engine = new LinkedHashMap<>(engine);
  }

  @Override
  public Iterator<String> apply(Iterator<Integer> ignored) {
    BarrierTaskContext context = BarrierTaskContext.get();
    int rank = context.partitionId();
    int workers = context.getTaskInfos().length;
    int first = (int) ((long) rank * groups / workers);
    int end = (int) ((long) (rank + 1) * groups / workers);
    OnExecutor.threads(threads);
    ComponentRegistry registry = OnExecutor.registry(pluginPaths);
    Path dir = Path.of(runDir);
    if (Files.isRegularFile(dir.resolve(RunDirectory.MANIFEST)) && TrainingRun.completed(dir)) { // a stage restarted after the run ended
      return CollectionConverters.asScala(List.of(rank + " completed").iterator());
    }
    boolean resuming = Files.isRegularFile(dir.resolve(RunDirectory.MANIFEST)) && Files.isRegularFile(dir.resolve(RunDirectory.CONFIG));
    List<Path> from = resuming ? List.of(dir.resolve(RunDirectory.CONFIG)) : configs.stream().map(Path::of).toList();
    List<String> with = resuming ? List.of() : overrides;
    String ended;
    try (BarrierExchange exchange = new BarrierExchange(context, first, end)) {
      if (rank == 0) {
        Map<String, Object> where = new LinkedHashMap<>(engine);
        where.put("workers", workers);
        where.put("stage_attempt", context.stageAttemptNumber());
        List<String> commandLine = List.of("neurite", resuming ? "resume" : "train", "--engine", "spark", "--workers", Integer.toString(workers));
        if (resuming) {
          TrainingRun.resume(registry, dir, List.of(), List.of(), commandLine, w -> System.err.println("neurite: warning: " + w),
              s -> System.err.println("neurite: " + s), where, exchange);
        } else {
          TrainingRun.train(registry, from, with, new TrainingRun.Options(dir, null, List.of(), commandLine, where, exchange));
        }
      } else {
        TrainingRun.follow(registry, from, with, dir, exchange);
      }
      ended = "completed";
    } catch (TrainingDivergedException e) { // every worker sees the same loss: all stop at the same step, and Spark must not retry
      ended = "diverged: " + e.getMessage();
    } catch (DataParallelRefusedException e) { // every worker refuses the same model before its first step: no retry either
      ended = "refused: " + e.getMessage();
    }
    return CollectionConverters.asScala(List.of(rank + " " + ended).iterator());
  }
}
