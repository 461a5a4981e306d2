package dev.neurite.cli;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.TrainingRun;
import dev.neurite.tensor.Parallel;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train the experiment described by CONFIG into a new run directory.")
final class TrainCommand extends PluginCommand {
  @Mixin
  ConfigFiles experiment;

  @Option(names = "--out", paramLabel = "DIR", description = "run directory (must be new or empty); default runs/<name>-<timestamp>")
  Path out;

  @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where new run directories go (default: ${DEFAULT-VALUE})")
  Path runs;

  @Mixin
  ThreadsOption threads;

  @Option(names = "--quiet", description = "print only the final summary")
  boolean quiet;

  @Override
  public Integer call() {
    var out = out();
    threads.apply(spec.commandLine());
    Parallel.Usage threadsBefore = Parallel.usage();
    ComponentRegistry registry = registry();
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    List<String> commandLine = Main.recordedCommandLine(spec);
    TrainingRun.Outcome outcome = reporter.around(() -> TrainingRun.train(registry, experiment.configs, experiment.overrides,
        new TrainingRun.Options(this.out, runs, List.of(reporter), commandLine)));
    ConsoleReporter.printOutcome(out, outcome, true);
    ConsoleReporter.printThreads(out, threadsBefore, Parallel.usage());
    ExplainCommand.afterTraining(registry, outcome, quiet, out, err());
    return 0;
  }
}
