package dev.neurite.cli;

import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import dev.neurite.tensor.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Continue an interrupted run in RUN_DIR from its newest complete checkpoint; the final "
    + "weights are byte-identical to those of an uninterrupted run.")
final class ResumeCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "the run directory to continue")
  Path run;

  @Mixin
  ThreadsOption threads;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "change a config value from here on, e.g. --set optimizer.lr=0.01 after a divergence (repeatable); "
          + "recorded in the manifest, and the run is then no longer reproducible from its config alone")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--quiet", description = "print only the final summary")
  boolean quiet;

  @Mixin
  EngineOption engine;

  @Option(names = "--workers", paramLabel = "W", defaultValue = "1", description = "with --engine: data-parallel workers, a power of two "
      + "dividing training.gradient_groups; any such count continues the run to the same bytes (default: ${DEFAULT-VALUE})")
  int workers;

  @Override
  public Integer call() {
    var out = out();
    var err = err();
    threads.apply(spec.commandLine());
    Parallel.Usage threadsBefore = Parallel.usage();
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    if (TrainingRun.completed(run)) {
      out.println(run + " is complete: nothing to resume, nothing changed");
      out.flush();
      return 0;
    }
    if (engine.given()) {
      if (!overrides.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "resume --engine continues the run as it is; --set is for a run resumed in this JVM");
      }
      engine.train(plugins, threads.threads, List.of(run.resolve(RunDirectory.CONFIG)), List.of(), run, workers, out);
      return 0;
    }
    List<String> commandLine = Main.recordedCommandLine(spec);
    TrainingRun.Outcome outcome = reporter.around(() -> TrainingRun.resume(registry(), run, overrides, List.of(reporter), commandLine,
        w -> {
          err.println("warning: " + w);
          err.flush();
        }, where -> {
          if (quiet) return;
          out.println(where);
          out.flush();
        }));
    ConsoleReporter.printOutcome(out, outcome, false);
    ConsoleReporter.printThreads(out, threadsBefore, Parallel.usage());
    if (outcome.experiment().spec().explain().isPresent()) ExplainCommand.afterTraining(registry(), outcome, quiet, out, err);
    return 0;
  }
}
