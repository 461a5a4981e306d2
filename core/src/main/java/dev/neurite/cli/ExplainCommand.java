package dev.neurite.cli;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.config.ExplainSpec;
import dev.neurite.explain.Explanation;
import dev.neurite.explain.SanityCheck;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.SavedRun;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.train.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = "Explain a finished run's predictions: which input values drove each explained output "
    + "(saliency, gradient_x_input, integrated_gradients, smoothgrad, occlusion) and which features matter to its metrics "
    + "(permutation_importance), checked against a randomized model, into RUN_DIR/explain (attributions.safetensors, "
    + "explain.json, importance.csv for tabular data). Without options, the run's explain: section (if any) says what to do.")
final class ExplainCommand extends PluginCommand {
  static final List<String> DEFAULT_METHODS = List.of("saliency", "gradient_x_input", "integrated_gradients");

  @Parameters(paramLabel = "RUN_DIR", description = "a completed run directory")
  Path run;

  @Option(names = "--split", paramLabel = "SPLIT", description = "the split whose rows are explained: train, validation or test "
      + "(default: the config's explain.split, else test)")
  String split;

  @Option(names = "--samples", paramLabel = "N", description = "explain the split's first N rows (default: explain.samples, else 8)")
  Integer samples;

  @Option(names = "--rows", split = ",", paramLabel = "R", description = "explain these rows of the split (0-based), e.g. --rows 3,17,42")
  List<Integer> rows = new ArrayList<>();

  @Option(names = "--method", paramLabel = "METHOD", description = "an explanation method, by name or as YAML with its parameters, e.g. "
      + "--method '{type: integrated_gradients, steps: 100, baseline: mean}' (repeatable; default: explain.methods, else saliency, "
      + "gradient_x_input, integrated_gradients)")
  List<String> methods = new ArrayList<>();

  @Option(names = "--target", paramLabel = "WHICH", description = "the output explained per sample: predicted (its predicted class), "
      + "true (its label) or an output index (default: explain.target, else predicted)")
  String target;

  @Option(names = "--no-sanity-checks", description = "skip the model-randomization check")
  boolean noSanityChecks;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the run's config, e.g. the test source (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "where the results go (default: RUN_DIR/explain)")
  Path out;

  @Mixin
  ThreadsOption threads;

  @Override
  public Integer call() {
    threads.apply(spec.commandLine());
    if (samples != null && samples < 1) throw bad("--samples must be at least 1, got " + samples);
    ComponentRegistry registry = registry();
    SavedRun saved;
    try {
      saved = SavedRun.open(registry, run, overrides, true);
    } catch (NeuriteException e) {
      if (e instanceof dev.neurite.config.ConfigException) throw e;
      throw bad(e.getMessage()); // no such run, or no weights: a wrong argument, nothing to explain
    }
    Optional<ExplainSpec> configured = saved.experiment().spec().explain();
    Explanation.Target which;
    try {
      which = Explanation.Target.parse(target != null ? target : configured.map(ExplainSpec::target).orElse("predicted"));
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    List<Explanation.Method> chosen = new ArrayList<>();
    if (methods.isEmpty() && configured.isPresent()) {
      chosen.addAll(Explanation.configured(saved));
    } else {
      long seed = saved.experiment().spec().seed();
      List<String> texts = methods.isEmpty() ? DEFAULT_METHODS : methods;
      for (int i = 0; i < texts.size(); i++) {
        var built = ComponentSpecs.fromYaml(registry, ComponentKind.EXPLAINER, texts.get(i), "--method #" + (i + 1),
            "explain.methods[" + i + "]", p -> RandomStream.derive(seed, p));
        chosen.add(new Explanation.Method(Explanation.name(built.resolved(), chosen), built.component(), built.resolved()));
      }
    }
    for (Explanation.Method m : chosen) {
      try {
        m.explainer().check(saved.experiment().splits().train().sampleShape());
      } catch (IllegalArgumentException e) {
        throw bad(m.name() + ": " + e.getMessage());
      }
    }
    var request = new Explanation.Request(
        split != null ? split : configured.map(c -> c.split().name().toLowerCase(Locale.ROOT)).orElse("test"),
        samples != null ? samples : configured.map(ExplainSpec::samples).orElse(8),
        !rows.isEmpty() ? rows : configured.map(ExplainSpec::rows).orElse(List.of()),
        which, chosen, !noSanityChecks && configured.map(ExplainSpec::sanityChecks).orElse(true));
    Explanation.Result result;
    try {
      result = Explanation.run(registry, saved, request);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    Path dir = out != null ? out : run.resolve("explain");
    String pictures = write(result, dir, run);
    report(result, dir, out(), err());
    if (pictures != null) err().println("warning: " + pictures);
    return 0;
  }

  /**
   * After {@code train} or {@code resume}: the run's {@code explain:} section, if it has one, run on the
   * finished run into {@code RUN_DIR/explain}. The run itself is complete whatever happens here.
   */
  static void afterTraining(ComponentRegistry registry, TrainingRun.Outcome outcome, boolean quiet, PrintWriter stdout, PrintWriter err) {
    if (outcome.experiment().spec().explain().isEmpty()) return;
    Path run = outcome.directory();
    SavedRun saved = SavedRun.open(registry, run, List.of(), true);
    Optional<ExplainSpec> configured = saved.experiment().spec().explain();
    if (configured.isEmpty()) return;
    ExplainSpec c = configured.get();
    var request = new Explanation.Request(c.split().name().toLowerCase(Locale.ROOT), c.samples(), c.rows(),
        Explanation.Target.parse(c.target()), Explanation.configured(saved), c.sanityChecks());
    Explanation.Result result;
    try {
      result = Explanation.run(registry, saved, request);
    } catch (IllegalArgumentException e) {
      throw new NeuriteException("the run completed in " + run + ", but its explain: section failed: " + e.getMessage()
          + "; fix the section and run ./neurite explain " + run, e);
    }
    Path dir = run.resolve("explain");
    String pictures = write(result, dir, run);
    report(result, dir, quiet ? new PrintWriter(java.io.Writer.nullWriter()) : stdout, err);
    if (pictures != null) err.println("warning: " + pictures);
  }

  /** The numbers, then the pictures (a failure to draw is a warning: the numbers are what the run is checked by). */
  static String write(Explanation.Result result, Path dir, Path run) {
    try {
      Explanation.write(result, dir, run);
    } catch (IOException e) {
      throw new NeuriteException("cannot write " + dir + ": " + Messages.brief(e), e);
    }
    return Explanation.writePictures(result, dir);
  }

  /** What was explained, where it went, integrated gradients' completeness and the sanity check, with warnings on stderr. */
  static void report(Explanation.Result result, Path dir, PrintWriter stdout, PrintWriter err) {
    int n = result.rows().length;
    stdout.printf("explained %d %s row%s (target: %s) with %s -> %s%n", n, result.split(), n == 1 ? "" : "s", result.target(),
        String.join(", ", result.methods().stream().map(m -> m.method().name()).toList()), dir);
    for (Explanation.MethodResult m : result.methods()) {
      double[] relative = Explanation.relativeCompleteness(m);
      if (relative == null) continue;
      double median = Explanation.median(relative);
      stdout.printf("  %s: median completeness error %s %% of |f(x) - f(baseline)|%n", m.method().name(), Numbers.significant(100 * median, 3));
      long over = Arrays.stream(relative).filter(v -> v > 0.01).count();
      if (over > 0) {
        err.printf("warning: %s: the attributions miss f(x) - f(baseline) by more than 1 %% for %d of %d samples (median %s %%); "
            + "raise steps%n", m.method().name(), over, relative.length, Numbers.significant(100 * median, 3));
      }
    }
    for (SanityCheck.Outcome o : result.sanity()) {
      stdout.printf("  %s: rank correlation with a randomized model %s%n", o.method(), Numbers.significant(o.full(), 3));
      if (o.full() >= SanityCheck.INSENSITIVE) {
        err.printf("warning: %s: its attributions barely change when the model's weights are randomized (rank correlation %s): "
            + "they reflect the input more than what the model learned (Adebayo et al. 2018)%n", o.method(), Numbers.significant(o.full(), 3));
      }
    }
    stdout.flush();
    err.flush();
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
