package dev.neurite.cli;

import dev.neurite.run.SweepRun;
import dev.neurite.train.Numbers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", description = "Run the trials of CONFIG's sweep: section, each as a run directory inside the sweep directory, "
    + "then print them ranked. Given the same --out again, an interrupted sweep continues and never re-runs a finished trial.")
final class SweepCommand extends PluginCommand {
  @Parameters(paramLabel = "CONFIG", arity = "1..*", description = "experiment YAML file(s) with a sweep: section; several are merged in order")
  List<Path> configs;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config value for every trial (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "the sweep directory: new, empty, or an interrupted sweep to continue")
  Path out;

  @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where a new sweep directory goes (default: ${DEFAULT-VALUE})")
  Path runs;

  @Mixin
  ThreadsOption threads;

  @Option(names = "--quiet", description = "print only each trial's result and the ranking, not its epochs")
  boolean quiet;

  @Override
  public Integer call() {
    var out = out();
    threads.apply(spec.commandLine());
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    List<SweepRun.Trial> ranked = reporter.around(() -> SweepRun.run(registry(), configs, overrides, this.out, runs, List.of(reporter),
        line -> {
          reporter.endLine(); // a trial's result, or its divergence, on a line of its own
          out.println(line);
          out.flush();
        }));
    if (ranked.isEmpty()) return 0;
    Path dir = ranked.get(0).directory().getParent();
    out.println("ranked (" + dir.resolve("sweep.csv") + "):");
    int rank = 1;
    for (SweepRun.Trial t : ranked) {
      out.printf("  %d. trial %d  %s  %s%n", rank++, t.number(), t.metric() == null ? "-" : Numbers.format(t.metric()),
          String.join(" ", t.overrides()));
    }
    out.flush();
    return 0;
  }
}
