package dev.neurite.cli;

import dev.neurite.report.Comparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", description = "Compare runs side by side: a ranked table on stdout and compare.html (learning curves overlaid, "
    + "the config keys that differ, final metrics; for a sweep directory also each swept parameter against the sweep's metric).")
final class CompareCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "run directories, or one sweep directory")
  List<Path> runs;

  @Option(names = "--metric", paramLabel = "SPLIT.NAME", description = "rank by this final metric, e.g. validation.loss "
      + "(default: the sweep's metric, else test, validation or train accuracy, else the first metric)")
  String metric;

  @Option(names = "--goal", paramLabel = "max|min", description = "which end of the metric is best (default: min for losses and errors, "
      + "max for the rest)")
  String goal;

  @Option(names = "--out", paramLabel = "FILE", description = "where to write the page (default: compare.html in the sweep directory, "
      + "or in the current directory)")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Boolean higher = null;
    if (goal != null) {
      if (!goal.equals("max") && !goal.equals("min")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--goal must be max or min, got '" + goal + "'");
      }
      higher = goal.equals("max");
    }
    Comparison.Result result = Comparison.write(runs, metric, higher, out);
    var stdout = spec.commandLine().getOut();
    stdout.print(result.table());
    stdout.println("comparison: " + result.html());
    stdout.flush();
    return 0;
  }
}
