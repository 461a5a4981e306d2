package dev.neurite.run;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.report.RunReport;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.ModelSummary;
import dev.neurite.train.StepExchange;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingListener;
import dev.neurite.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code ./neurite train}: validate the config, read the data, build the model, then train into a
 * new run directory. Nothing is written before the config and data have been checked; after that,
 * a failure still leaves the resolved config, the finished epochs' metrics and a summary saying
 * what went wrong.
 */
public final class TrainingRun {
  /**
   * Where to write: exactly {@code out}, or a fresh folder under {@code runsRoot} when {@code out} is null;
   * {@code engine} is what the manifest records of where the run ran when an engine ran it (null: in this JVM);
   * {@code exchange} makes this process the first of a data-parallel run's workers (null: a run on its own).
   */
  public record Options(Path out, Path runsRoot, List<TrainingListener> listeners, List<String> commandLine, Map<String, Object> engine,
                        StepExchange exchange) {
    public Options(Path out, Path runsRoot, List<TrainingListener> listeners) {
      this(out, runsRoot, listeners, List.of());
    }

    public Options(Path out, Path runsRoot, List<TrainingListener> listeners, List<String> commandLine) {
      this(out, runsRoot, listeners, commandLine, null, null);
    }
  }

  /**
   * How a run ended; {@code initialWeights} says what {@code model.init_from} loaded (null without it), {@code reportProblem}
   * why {@code report.html} could not be written (null when it was).
   */
  public record Outcome(Path directory, Experiment experiment, TrainingResult result, String weightsSha256,
                        InitialWeights.Report initialWeights, String reportProblem) {}

  private TrainingRun() {}

  public static Outcome train(ComponentRegistry registry, Path config, Options options) {
    return train(registry, List.of(config), List.of(), options);
  }

  /** Trains from {@code configs} merged in order, with the {@code --set} {@code overrides} applied. */
  public static Outcome train(ComponentRegistry registry, List<Path> configs, List<String> overrides, Options options) {
    LoadedExperiment loaded = new ExperimentLoader(registry).load(configs, overrides, System::getenv);
    Experiment experiment = Experiment.prepare(loaded);
    if (options.exchange() != null) Trainer.refuseUnlessExact(experiment, options.exchange()); // before the run directory exists
    InitialWeights.Report initialWeights = startingWeights(loaded, experiment);
    try (SignalStop signals = SignalStop.install()) {
      RunDirectory run;
      Manifest manifest;
      try {
        manifest = new Manifest(loaded, registry, options.commandLine(), Instant.now());
        if (options.engine() != null) manifest.engine(options.engine());
        manifest.startingPoint(initialWeights, frozenLayers(experiment));
        RunDirectory.Contents contents = staged -> {
          staged.writeConfig(loaded.resolvedYaml());
          staged.writeJson(RunDirectory.MANIFEST, manifest.fields());
        };
        run = options.out() != null ? RunDirectory.createAt(options.out(), contents)
            : RunDirectory.createUnder(options.runsRoot(), loaded.spec().name(), LocalDateTime.now(), contents);
      } catch (IOException e) {
        throw new NeuriteException("cannot create the run directory: " + Messages.brief(e), e);
      }
      List<TrainingListener> listeners = new ArrayList<>(options.listeners());
      listeners.add(run.metricsLog());
      listeners.add(run.diagnosticsLog());
      return trainAndFinish(run, loaded, experiment, manifest, listeners, null, signals, initialWeights, options.exchange());
    }
  }

  /** Loads {@code model.init_from} into the freshly built model, if the config has it. */
  private static InitialWeights.Report startingWeights(LoadedExperiment loaded, Experiment experiment) {
    return loaded.spec().model().initFrom().map(spec -> InitialWeights.load(spec, experiment.model())).orElse(null);
  }

  /** The layers with {@code trainable: false}, by name or config path. */
  static List<String> frozenLayers(Experiment experiment) {
    List<String> frozen = new ArrayList<>();
    var nodes = experiment.model().nodes();
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).trainable()) frozen.add(nodes.get(i).name() != null ? nodes.get(i).name() : "layers[" + i + "]");
    }
    return frozen;
  }

  /** Whether {@code runDir}'s manifest says the run completed (its weights are written): there is nothing to resume. */
  public static boolean completed(Path runDir) {
    return "completed".equals(RunDirectory.existing(runDir).readJson(RunDirectory.MANIFEST).get("status"))
        && Files.isRegularFile(runDir.resolve(RunDirectory.WEIGHTS));
  }

  /**
   * {@code ./neurite resume}: continues {@code runDir} from its newest complete checkpoint, in the same
   * directory, with the recorded config and the data checked against the manifest's hashes; the
   * final weights are byte-identical to those of the uninterrupted run. A run stopped before its
   * first checkpoint starts again from step 0. Skipped checkpoints (corrupt, truncated, or a damaged
   * index) are reported to {@code warn}.
   */
  public static Outcome resume(ComponentRegistry registry, Path runDir, List<TrainingListener> extraListeners, List<String> commandLine,
                               Consumer<String> warn) {
    return resume(registry, runDir, List.of(), extraListeners, commandLine, warn, where -> {});
  }

  /**
   * As {@link #resume(ComponentRegistry, Path, List, List, java.util.function.Consumer)}, with {@code --set}
   * {@code overrides} applied to the recorded config: a deliberate change (a lower learning rate after a
   * divergence, say). The run's {@code config.yaml} becomes the changed config, and the manifest's
   * {@code resumed} entry records the overrides and the SHA-256 of the config before them, so the run
   * is marked as not reproducible from its config alone. {@code status} hears where the run restarts
   * ("resuming RUN from epoch 5, batch 7 of 43").
   */
  public static Outcome resume(ComponentRegistry registry, Path runDir, List<String> overrides, List<TrainingListener> extraListeners,
                               List<String> commandLine, Consumer<String> warn, Consumer<String> status) {
    return resume(registry, runDir, overrides, extraListeners, commandLine, warn, status, null, null);
  }

  /**
   * As {@link #resume(ComponentRegistry, Path, List, List, List, Consumer, Consumer)}, run by an engine ({@code engine}: what
   * the manifest records of it) and, with an {@code exchange}, as the first worker of a data-parallel run.
   */
  public static Outcome resume(ComponentRegistry registry, Path runDir, List<String> overrides, List<TrainingListener> extraListeners,
                               List<String> commandLine, Consumer<String> warn, Consumer<String> status, Map<String, Object> engine,
                               StepExchange exchange) {
    RunDirectory run = RunDirectory.existing(runDir);
    if (completed(runDir)) throw new NeuriteException(runDir + " is a completed run: there is nothing to resume");
    Map<String, Object> recorded = run.readJson(RunDirectory.MANIFEST);
    Path configFile = runDir.resolve(RunDirectory.CONFIG);
    LoadedExperiment loaded = new ExperimentLoader(registry).load(List.of(configFile), overrides, System::getenv);
    List<String> changed = Manifest.changedData(recorded, loaded);
    if (!changed.isEmpty()) {
      throw new NeuriteException("cannot resume " + runDir + ": the data changed since the run started: " + String.join("; ", changed));
    }
    Experiment experiment = Experiment.prepare(loaded);
    List<String> warnings = new ArrayList<>();
    try (SignalStop signals = SignalStop.install()) {
      Optional<Checkpoints.Loaded> checkpoint = new Checkpoints(runDir, loaded.spec().training().keepCheckpoints()).latest(warnings);
      warnings.forEach(warn);
      Trainer.Snapshot from = null;
      if (checkpoint.isPresent()) {
        try {
          Checkpoints.restore(checkpoint.get(), experiment, loaded).forEach(warn);
        } catch (NeuriteException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new NeuriteException(checkpoint.get().file() + " cannot be restored: " + Messages.brief(e), e);
        }
        from = checkpoint.get().snapshot();
        status.accept(restartPoint(runDir, from, experiment, loaded) + " (checkpoint " + checkpoint.get().file().getFileName() + ")");
      } else {
        warn.accept(runDir + " has no checkpoint" + (warnings.isEmpty() ? "" : " that is intact")
            + ": starting again from step 0 (the same result as an uninterrupted run)");
        startingWeights(loaded, experiment);
      }
      run.keepMetricsUpTo(from == null ? 0 : from.epoch());
      Manifest manifest = Manifest.resumed(recorded, from, commandLine, Instant.now());
      if (engine != null) manifest.engine(engine);
      if (!overrides.isEmpty()) {
        manifest.changedOnResume(overrides, Hashes.sha256(configFile));
        run.writeConfig(loaded.resolvedYaml());
      }
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
      List<TrainingListener> listeners = new ArrayList<>(extraListeners);
      listeners.add(run.metricsLog());
      listeners.add(run.diagnosticsLog());
      return trainAndFinish(run, loaded, experiment, manifest, listeners, from, signals, null, exchange);
    } catch (IOException e) {
      throw new NeuriteException("cannot resume " + runDir + ": " + Messages.brief(e), e);
    }
  }

  /**
   * A data-parallel worker other than the first: the experiment of {@code configs}, from the newest checkpoint in
   * {@code runDir} when it has one (the one the first worker resumes from), trained in step with the others through
   * {@code exchange}. It writes nothing: the first worker writes the run directory.
   */
  public static void follow(ComponentRegistry registry, List<Path> configs, List<String> overrides, Path runDir, StepExchange exchange) {
    LoadedExperiment loaded = new ExperimentLoader(registry).load(configs, overrides, System::getenv);
    Experiment experiment = Experiment.prepare(loaded);
    Trainer.Snapshot from = null;
    Optional<Checkpoints.Loaded> checkpoint;
    try {
      checkpoint = Files.isDirectory(runDir)
          ? new Checkpoints(runDir, loaded.spec().training().keepCheckpoints()).latest(new ArrayList<>()) : Optional.empty();
    } catch (IOException e) {
      throw new NeuriteException("cannot read the checkpoints of " + runDir + ": " + Messages.brief(e), e);
    }
    if (checkpoint.isPresent()) {
      Checkpoints.restore(checkpoint.get(), experiment, loaded);
      from = checkpoint.get().snapshot();
    } else {
      startingWeights(loaded, experiment);
    }
    Trainer trainer = new Trainer(experiment);
    trainer.exchangeWith(exchange);
    trainer.fit(List.of(), from, null);
  }

  /**
   * Called by the command line once its output is written and flushed: after SIGINT or SIGTERM, the
   * JVM exits only then (or 5 seconds after the run has stopped), so the user sees how the run ended.
   */
  public static void outputWritten() {
    SignalStop.reported();
  }

  /** "resuming RUN from epoch 5, batch 7 of 43", or "from epoch 6" between epochs (epochs and batches counted from 1). */
  static String restartPoint(Path runDir, Trainer.Snapshot from, Experiment experiment, LoadedExperiment loaded) {
    int batchSize = loaded.spec().training().batchSize();
    int batches = (experiment.splits().train().size() + batchSize - 1) / batchSize;
    String where = from.midEpoch() ? "epoch " + (from.epoch() + 1) + ", batch " + (from.batch() + 1) + " of " + batches
        : "epoch " + (from.epoch() + 1);
    return "resuming " + runDir + " from " + where;
  }

  /** Thrown at an epoch boundary after SIGINT or SIGTERM, once the checkpoint is written. */
  public static final class Interrupted extends NeuriteException {
    public Interrupted(String message) {
      super(message);
    }
  }

  private static Outcome trainAndFinish(RunDirectory run, LoadedExperiment loaded, Experiment experiment, Manifest manifest,
                                        List<TrainingListener> listeners, Trainer.Snapshot resume, SignalStop signals,
                                        InitialWeights.Report initialWeights, StepExchange exchange) {
    TrainingResult result;
    Trainer trainer = new Trainer(experiment);
    if (exchange != null) trainer.exchangeWith(exchange);
    if (resume == null) {
      ModelSummary model = ModelSummary.of(experiment.model(), loaded);
      listeners.forEach(l -> l.onModel(model));
    }
    int every = loaded.spec().training().checkpointEvery();
    Checkpoints checkpoints = new Checkpoints(run.path(), loaded.spec().training().keepCheckpoints());
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
        boolean stop = signals.requested();
        Path saved = due || stop ? save() : null;
        if (stop) {
          throw new Interrupted("interrupted by a signal: stopped after batch " + batch + " of " + batches + " of epoch " + epoch
              + ", checkpoint " + saved + "; continue with ./neurite resume " + run.path());
        }
      }

      @Override
      public void afterEpoch(int epoch) {
        boolean last = epoch >= epochs;
        boolean stop = signals.requested() && !last;
        boolean due = stepCheckpointDue || (every > 0 && epoch % every == 0);
        stepCheckpointDue = false;
        Path saved = stop || (due && !last) ? save() : null;
        if (stop) {
          throw new Interrupted("interrupted by a signal: stopped after epoch " + epoch + ", checkpoint " + saved
              + "; continue with ./neurite resume " + run.path());
        }
      }

      private Path save() {
        try {
          return checkpoints.save(experiment, loaded, trainer);
        } catch (IOException e) {
          throw new NeuriteException("cannot write a checkpoint in " + run.path() + ": " + Messages.brief(e)
              + "; the run stopped, and ./neurite resume continues it from its last checkpoint once there is room", e);
        }
      }
    };
    try {
      result = trainer.fit(listeners, resume, hooks);
    } catch (RuntimeException e) {
      boolean interrupted = e instanceof Interrupted;
      recordFailure(run, loaded, manifest, e, interrupted ? "interrupted" : "failed");
      throw e;
    }
    try {
      String sha = run.writeWeights(experiment.model().params(), experiment.model().buffers());
      run.writeTransforms(transformState(experiment), transformMetadata(experiment));
      run.writeSummary(summary(loaded, experiment, result, sha));
      manifest.finish("completed", Instant.now(), sha);
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
      return new Outcome(run.path(), experiment, result, sha, initialWeights, writeReport(run, experiment));
    } catch (IOException e) {
      NeuriteException failure = new NeuriteException("cannot write the trained model to " + run.path() + ": " + Messages.brief(e)
          + "; ./neurite resume finishes the run from its last checkpoint once the problem is fixed", e);
      recordFailure(run, loaded, manifest, failure, "failed");
      throw failure;
    }
  }

  /** The run's report.html and plots; a failure there leaves the trained run complete, and is returned to be reported. */
  private static String writeReport(RunDirectory run, Experiment experiment) {
    try {
      RunReport.write(run.path(), experiment);
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) { // AWT without fonts throws Errors
      return "the report was not written: " + Messages.brief(e) + "; ./neurite report " + run.path() + " tries again";
    }
  }

  /**
   * Records how a run ended in its summary and manifest, as far as the disk allows (a full disk may
   * refuse both), and writes the report of what it has.
   */
  private static void recordFailure(RunDirectory run, LoadedExperiment loaded, Manifest manifest, RuntimeException e, String status) {
    writeFailure(run, loaded, e, status);
    manifest.finish(status, Instant.now(), null);
    try {
      run.writeJson(RunDirectory.MANIFEST, manifest.fields());
    } catch (IOException io) {
      e.addSuppressed(io);
    }
    try {
      RunReport.writeWithoutModel(run.path()); // the curves up to the failure
    } catch (VirtualMachineError error) {
      throw error;
    } catch (RuntimeException | Error report) {
      e.addSuppressed(report);
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
    s.put("model", ModelSummary.of(experiment.model(), loaded).json());
    s.put("threads", Parallel.threads());
    s.put("gemm_kernel", Kernels.gemmKernel());
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("train", experiment.splits().train().size());
    if (experiment.splits().validation() != null) rows.put("validation", experiment.splits().validation().size());
    if (experiment.splits().test() != null) rows.put("test", experiment.splits().test().size());
    s.put("rows", rows);
    s.put("source_shape", experiment.source().sampleShape().toString());
    if (!experiment.sourceFeatures().isEmpty()) s.put("feature_names", experiment.sourceFeatures());
    if (!experiment.dataReport().isEmpty()) s.put("data", new TreeMap<>(experiment.dataReport()));
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
