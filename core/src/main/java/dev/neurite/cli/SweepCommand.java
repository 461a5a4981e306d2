package dev.neurite.cli;

import dev.neurite.engine.Engine;
import dev.neurite.run.SweepRun;
import dev.neurite.train.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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

  @Mixin
  EngineOption engine;

  @Option(names = "--quiet", description = "print only each trial's result and the ranking, not its epochs")
  boolean quiet;

  @Override
  public Integer call() {
    var out = out();
    if (engine.given()) return onEngine(out);
    threads.apply(spec.commandLine());
    ConsoleReporter reporter = new ConsoleReporter(out, ConsoleReporter.interactive(), quiet);
    List<SweepRun.Trial> ranked = reporter.around(() -> SweepRun.run(registry(), configs, overrides, this.out, runs, List.of(reporter),
        line -> {
          reporter.endLine(); // a trial's result, or its divergence, on a line of its own
          out.println(line);
          out.flush();
        }));
    printRanking(out, ranked);
    return 0;
  }

  /** The trials as the engine's tasks: their epochs stay in each run's metrics.csv; the console hears each trial's start and end. */
  private Integer onEngine(PrintWriter out) {
    try (Engine.Session session = engine.start(plugins, threads.threads)) {
      Consumer<String> progress = line -> {
        synchronized (out) {
          out.println(line);
          out.flush();
        }
      };
      progress.accept("engine: " + session.description());
      printRanking(out, SweepRun.run(registry(), configs, overrides, this.out, runs, session.trials(), progress));
    }
    return 0;
  }

  private static void printRanking(PrintWriter out, List<SweepRun.Trial> ranked) {
    if (ranked.isEmpty()) return;
    Path dir = ranked.get(0).directory().getParent();
    out.println("ranked (" + dir.resolve("sweep.csv") + "):");
    int rank = 1;
    for (SweepRun.Trial t : ranked) {
      out.printf("  %d. trial %d  %s  %s%n", rank++, t.number(), t.metric() == null ? "-" : Numbers.format(t.metric()),
          String.join(" ", t.overrides()));
    }
    out.flush();
  }
}
