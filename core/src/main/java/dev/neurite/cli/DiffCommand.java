package dev.neurite.cli;

import dev.neurite.run.RunComparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Show what differs between two run directories: config keys, data, plugins, environment, "
    + "metrics and weights. Exit 0 when nothing differs, 1 otherwise.")
final class DiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_A", description = "a run directory")
  Path a;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "another run directory")
  Path b;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    List<RunComparison.Difference> differences = RunComparison.compare(a, b);
    print(out, differences);
    out.flush();
    return differences.isEmpty() ? 0 : Main.FAILED;
  }

  /** Differences grouped by section, one per line, or "no differences". */
  static void print(PrintWriter out, List<RunComparison.Difference> differences) {
    if (differences.isEmpty()) {
      out.println("no differences");
      return;
    }
    for (Map.Entry<String, List<RunComparison.Difference>> section : RunComparison.bySection(differences).entrySet()) {
      out.println(section.getKey() + ":");
      for (RunComparison.Difference d : section.getValue()) out.println("  " + d);
    }
  }
}
