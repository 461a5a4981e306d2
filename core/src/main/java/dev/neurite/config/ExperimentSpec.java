package dev.neurite.config;

import dev.neurite.spi.Callback;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Messages;
import dev.neurite.spi.Metric;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Regularizer;
import dev.neurite.spi.Schedule;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The top level of an experiment file. Each record component is a YAML key. */
public record ExperimentSpec(
    @Doc("experiment name: letters, digits, '.', '_' or '-'; names the run directory") String name,
    @Doc("master seed: every random stream is derived from it and the component's config path") @Default("42") long seed,
    @Doc("where the samples come from, how they are split and preprocessed") DataSpec data,
    @Doc("the network") ModelSpec model,
    @Doc("the training objective") Loss loss,
    @Doc("how params are updated from their gradients") Optimizer optimizer,
    @Doc("learning-rate schedule; none keeps the optimizer's rate") Optional<Schedule> schedule,
    @Doc("penalties on the params, added to the objective") @Default("[]") List<Regularizer> regularizers,
    @Doc("epochs, batch size, shuffling") TrainingSpec training,
    @Doc("what is measured on each split, e.g. [loss, accuracy]") @Default("[]") List<Metric> metrics,
    @Doc("hooks into the training loop") @Default("[]") List<Callback> callbacks,
    @Doc("strict: refuse components declared @Nondeterministic; relaxed: accept them (the manifest lists them)")
    @Default("strict") Determinism determinism,
    @Doc("trials over config paths, run by ./neurite sweep; train ignores it") Optional<SweepSpec> sweep,
    @Doc("what train explains at the end (attribution methods, sanity checks), into RUN_DIR/explain; also the defaults of "
        + "./neurite explain") Optional<ExplainSpec> explain) {

  /** Whether components that cannot promise identical results run to run are allowed. */
  public enum Determinism { STRICT, RELAXED }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  /** A run directory is the name plus a 16-character timestamp: well within any file system's 255 bytes. */
  static final int MAX_NAME = 100;

  public ExperimentSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + Messages.echo(name) + "' may contain only letters, digits, '.', '_' and '-'");
    }
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException("name is " + name.length() + " characters long; it names the run directory, so it may have at most "
          + MAX_NAME);
    }
    if (name.equals(".") || name.equals("..")) throw new IllegalArgumentException("name '" + name + "' cannot name a run directory");
  }
}
