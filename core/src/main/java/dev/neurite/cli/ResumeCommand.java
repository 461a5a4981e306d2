package dev.neurite.cli;

import dev.neurite.run.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Continue an interrupted run in RUN_DIR from its newest complete checkpoint; the final "
    + "weights are byte-identical to those of an uninterrupted run.")
final class ResumeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "the run directory to continue")
  Path run;

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
    var err = spec.commandLine().getErr();
    if (threads != null) {
      if (threads < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
      dev.neurite.tensor.Parallel.setThreads(threads);
    }
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    List<String> commandLine = new java.util.ArrayList<>(List.of("neurite"));
    commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
    TrainingRun.Outcome outcome = TrainingRun.resume(plugins.registry(err), run, List.of(reporter), commandLine, w -> {
      err.println("warning: " + w);
      err.flush();
    });
    out.println("run directory: " + outcome.directory());
    for (Map.Entry<String, Map<String, Double>> split : outcome.result().finalMetrics().entrySet()) {
      out.println("  " + split.getKey() + ": " + ConsoleReporter.format(split.getValue()));
    }
    out.printf("  %d epochs%n", outcome.result().epochs());
    out.flush();
    return 0;
  }
}
