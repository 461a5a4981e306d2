package dev.neurite.cli;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", description = "Train the experiment described by CONFIG into a new run directory.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CONFIG", arity = "1..*",
      description = "experiment YAML file; several are merged in order (later mappings merge key by key, other values replace)")
  List<Path> configs;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a config value after merging, e.g. --set optimizer.lr=0.01 --set model.layers[0].units=128 (repeatable)")
  List<String> overrides = new java.util.ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "run directory (must be new or empty); default runs/<name>-<timestamp>")
  Path out;

  @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where new run directories go (default: ${DEFAULT-VALUE})")
  Path runs;

  @Option(names = "--threads", paramLabel = "N", description = "threads for the kernels (default: all cores); results do not depend on it")
  Integer threads;

  @Option(names = "--quiet", description = "print only the final summary")
  boolean quiet;

  @Option(names = "--debug", description = "show stack traces on errors")
  boolean debug;

  @picocli.CommandLine.Mixin
  PluginOptions plugins;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (threads != null) {
      if (threads < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
      dev.neurite.tensor.Parallel.setThreads(threads);
    }
    ComponentRegistry registry = plugins.registry(spec.commandLine().getErr());
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    List<String> commandLine = new java.util.ArrayList<>(List.of("neurite"));
    commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
    TrainingRun.Outcome outcome = TrainingRun.train(registry, configs, overrides,
        new TrainingRun.Options(this.out, runs, List.of(reporter), commandLine));
    out.println("run directory: " + outcome.directory());
    for (Map.Entry<String, Map<String, Double>> split : outcome.result().finalMetrics().entrySet()) {
      out.println("  " + split.getKey() + ": " + ConsoleReporter.format(split.getValue()));
    }
    if (outcome.result().stopReason() != null) out.println("  stopped early: " + outcome.result().stopReason());
    out.printf("  %d epochs in %.2f s%n", outcome.result().epochs(), outcome.result().seconds());
    out.flush();
    return 0;
  }
}
