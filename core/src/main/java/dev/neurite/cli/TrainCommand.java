package dev.neurite.cli;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import dev.neurite.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
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

  @Mixin
  EngineOption engine;

  @Option(names = "--workers", paramLabel = "W", defaultValue = "1", description = "with --engine: data-parallel workers, a power of two "
      + "dividing training.gradient_groups; the weights are the same bytes as the run on one machine (default: ${DEFAULT-VALUE})")
  int workers;

  @Override
  public Integer call() throws IOException {
    var out = out();
    if (engine.given()) {
      Path dir = this.out != null ? this.out : RunDirectory.freshPath(runs, new ExperimentLoader(registry())
          .load(experiment.configs, experiment.overrides, System::getenv).spec().name(), LocalDateTime.now());
      RunDirectory.requireNewOrEmpty(dir); // checked here, before the engine starts
      engine.train(plugins, threads.threads, experiment.configs, experiment.overrides, dir, workers, out);
      return 0;
    }
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
