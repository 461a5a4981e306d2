package dev.neurite.run;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingListener;
import dev.neurite.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./neurite train}: validate the config, read the data, build the model, then train into a
 * new run directory. Nothing is written before the config and data have been checked; after that,
 * a failure still leaves the resolved config, the finished epochs' metrics and a summary saying
 * what went wrong.
 */
public final class TrainingRun {
  /** Where to write: exactly {@code out}, or a fresh folder under {@code runsRoot} when {@code out} is null. */
  public record Options(Path out, Path runsRoot, List<TrainingListener> listeners, List<String> commandLine) {
    public Options(Path out, Path runsRoot, List<TrainingListener> listeners) {
      this(out, runsRoot, listeners, List.of());
    }
  }

  public record Outcome(Path directory, Experiment experiment, TrainingResult result, String weightsSha256) {}

  private TrainingRun() {}

  public static Outcome train(ComponentRegistry registry, Path config, Options options) {
    return train(registry, List.of(config), List.of(), options);
  }

  /** Trains from {@code configs} merged in order, with the {@code --set} {@code overrides} applied. */
  public static Outcome train(ComponentRegistry registry, List<Path> configs, List<String> overrides, Options options) {
    LoadedExperiment loaded = new ExperimentLoader(registry).load(configs, overrides, System::getenv);
    Experiment experiment = Experiment.prepare(loaded);
    RunDirectory run;
    Manifest manifest;
    try {
      run = options.out() != null ? RunDirectory.createAt(options.out())
          : RunDirectory.createUnder(options.runsRoot(), loaded.spec().name(), LocalDateTime.now());
      run.writeConfig(loaded.resolvedYaml());
      manifest = new Manifest(loaded, registry, options.commandLine(), java.time.Instant.now());
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
    } catch (IOException e) {
      throw new NeuriteException("cannot create the run directory: " + e, e);
    }
    List<TrainingListener> listeners = new ArrayList<>(options.listeners());
    listeners.add(run.metricsLog());
    return trainAndFinish(run, loaded, experiment, manifest, listeners, null);
  }

  /**
   * {@code ./neurite resume}: continues {@code runDir} from its newest complete checkpoint, in the same
   * directory, with the recorded config and the data checked against the manifest's hashes; the
   * final weights are byte-identical to those of the uninterrupted run. Skipped checkpoints (corrupt
   * or truncated) are reported to {@code warn}.
   */
  public static Outcome resume(ComponentRegistry registry, Path runDir, List<TrainingListener> extraListeners, List<String> commandLine,
                               java.util.function.Consumer<String> warn) {
    RunDirectory run = RunDirectory.existing(runDir);
    Map<String, Object> recorded = run.readJson(RunDirectory.MANIFEST);
    List<String> changed = Manifest.changedData(recorded);
    if (!changed.isEmpty()) {
      throw new NeuriteException("cannot resume " + runDir + ": the data changed since the run started: " + String.join("; ", changed));
    }
    LoadedExperiment loaded = new ExperimentLoader(registry).load(List.of(runDir.resolve(RunDirectory.CONFIG)), List.of(), System::getenv);
    Experiment experiment = Experiment.prepare(loaded);
    Checkpoints.Loaded checkpoint;
    List<String> warnings = new ArrayList<>();
    try {
      checkpoint = new Checkpoints(runDir, loaded.spec().training().keepCheckpoints()).latest(warnings)
          .orElseThrow(() -> new NeuriteException(runDir + " has no complete checkpoint to resume from"
              + (warnings.isEmpty() ? " (checkpoint_every may be 0, or the run stopped in its first epoch)" : ": " + String.join("; ", warnings))));
      warnings.forEach(warn);
      Checkpoints.restore(checkpoint, experiment, loaded).forEach(warn);
      run.keepMetricsUpTo(checkpoint.snapshot().epoch());
      Manifest manifest = Manifest.resumed(recorded, checkpoint.snapshot(), commandLine, java.time.Instant.now());
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
      List<TrainingListener> listeners = new ArrayList<>(extraListeners);
      listeners.add(run.metricsLog());
      return trainAndFinish(run, loaded, experiment, manifest, listeners, checkpoint.snapshot());
    } catch (IOException e) {
      throw new NeuriteException("cannot resume " + runDir + ": " + e.getMessage(), e);
    }
  }

  /** Thrown at an epoch boundary after SIGINT or SIGTERM, once the checkpoint is written. */
  private static final class Interrupted extends NeuriteException {
    Interrupted(String message) {
      super(message);
    }
  }

  private static Outcome trainAndFinish(RunDirectory run, LoadedExperiment loaded, Experiment experiment, Manifest manifest,
                                        List<TrainingListener> listeners, Trainer.Snapshot resume) {
    TrainingResult result;
    Trainer trainer = new Trainer(experiment);
    int every = loaded.spec().training().checkpointEvery();
    Checkpoints checkpoints = new Checkpoints(run.path(), loaded.spec().training().keepCheckpoints());
    // SIGINT / SIGTERM: the JVM runs this hook and exits when it returns; it asks the loop to stop after
    // the current batch, where a checkpoint is written, and waits for that (up to 10 minutes)
    java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
    Thread signalHook = new Thread(() -> {
      stopRequested.set(true);
      try {
        settled.await(10, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "neurite-checkpoint-on-signal");
    Runtime.getRuntime().addShutdownHook(signalHook);
    int everySteps = loaded.spec().training().checkpointEverySteps();
    int epochs = loaded.spec().training().epochs();
    Trainer.Hooks hooks = new Trainer.Hooks() {
      private boolean stepCheckpointDue;

      @Override
      public void afterStep(int epoch, int batch, int batches) {
        boolean due = everySteps > 0 && trainer.step() % everySteps == 0;
        if (batch == batches) {
          stepCheckpointDue = due; // written at the epoch's end, after validation and callbacks
          return;
        }
        boolean stop = stopRequested.get();
        if (due || stop) save();
        if (stop) {
          throw new Interrupted("interrupted by a signal: stopped after batch " + batch + " of epoch " + epoch
              + " with a checkpoint; continue with ./neurite resume " + run.path());
        }
      }

      @Override
      public void afterEpoch(int epoch) {
        boolean last = epoch >= epochs;
        boolean stop = stopRequested.get() && !last;
        boolean due = stepCheckpointDue || (every > 0 && epoch % every == 0);
        stepCheckpointDue = false;
        if (stop || (due && !last)) save();
        if (stop) {
          throw new Interrupted("interrupted by a signal: stopped after epoch " + epoch + " with a checkpoint; continue with "
              + "./neurite resume " + run.path());
        }
      }

      private void save() {
        try {
          checkpoints.save(experiment, loaded, trainer);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write a checkpoint in " + run.path(), e);
        }
      }
    };
    try {
      result = trainer.fit(listeners, resume, hooks);
    } catch (RuntimeException e) {
      boolean interrupted = e instanceof Interrupted;
      writeFailure(run, loaded, e, interrupted ? "interrupted" : "failed");
      manifest.finish(interrupted ? "interrupted" : "failed", java.time.Instant.now(), null);
      try {
        run.writeJson(RunDirectory.MANIFEST, manifest.fields());
      } catch (IOException io) {
        e.addSuppressed(io);
      }
      settled.countDown();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(signalHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook is running and waits for `settled`
      }
    }
    try {
      String sha = run.writeWeights(experiment.model().params(), experiment.model().buffers());
      manifest.finish("completed", java.time.Instant.now(), sha);
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
      run.writeTransforms(transformState(experiment), transformMetadata(experiment));
      run.writeSummary(summary(loaded, experiment, result, sha));
      return new Outcome(run.path(), experiment, result, sha);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the run directory " + run.path(), e);
    } finally {
      settled.countDown();
    }
  }

  private static Map<String, Tensor> transformState(Experiment experiment) {
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (Experiment.FittedTransform f : experiment.transforms()) {
      f.transform().state().forEach((k, v) -> state.put(f.key() + "." + k, v));
    }
    return state;
  }

  private static Map<String, String> transformMetadata(Experiment experiment) {
    Map<String, String> meta = new LinkedHashMap<>();
    for (Experiment.FittedTransform f : experiment.transforms()) {
      f.transform().metadata().forEach((k, v) -> meta.put(f.key() + "." + k, v));
    }
    return meta;
  }

  private static Map<String, Object> summary(LoadedExperiment loaded, Experiment experiment, TrainingResult result, String sha) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", loaded.spec().name());
    s.put("status", "completed");
    s.put("epochs", result.epochs());
    if (result.stopReason() != null) s.put("stopped_early", result.stopReason());
    s.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
    s.put("parameters", experiment.model().parameterCount());
    s.put("threads", dev.neurite.tensor.Parallel.threads());
    s.put("gemm_kernel", dev.neurite.tensor.Kernels.gemmKernel());
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("train", experiment.splits().train().size());
    if (experiment.splits().validation() != null) rows.put("validation", experiment.splits().validation().size());
    if (experiment.splits().test() != null) rows.put("test", experiment.splits().test().size());
    s.put("rows", rows);
    if (!experiment.sourceFeatures().isEmpty()) s.put("feature_names", experiment.sourceFeatures());
    if (!experiment.dataReport().isEmpty()) s.put("data", new java.util.TreeMap<>(experiment.dataReport()));
    result.finalMetrics().forEach((split, values) -> {
      Map<String, Object> merged = new LinkedHashMap<>(values);
      merged.putAll(result.details().getOrDefault(split, Map.of()));
      s.put(split, merged);
    });
    s.put("weights_sha256", sha);
    return s;
  }

  private static void writeFailure(RunDirectory run, LoadedExperiment loaded, RuntimeException e, String status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", loaded.spec().name());
    s.put("status", status);
    s.put("error", String.valueOf(e.getMessage()));
    try {
      run.writeSummary(s);
    } catch (IOException io) {
      e.addSuppressed(io);
    }
  }
}
