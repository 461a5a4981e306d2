package dev.neurite.cli;

import dev.neurite.report.RunReport;
import dev.neurite.run.TrainingRun;
import dev.neurite.tensor.Parallel;
import dev.neurite.train.ModelSummary;
import dev.neurite.train.Numbers;
import dev.neurite.train.TrainingListener;
import java.io.Console;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** A progress bar on a terminal; one plain line per epoch otherwise (logs, CI). */
final class ConsoleReporter implements TrainingListener {
  private static final int BAR = 30;
  private final PrintWriter out;
  private final boolean terminal;
  private final boolean quiet;
  private int epochs;
  private int batches;
  private long lastDraw;
  private double rowsPerBatch;
  /** When this command's training started, and the steps it has taken since: the rate behind the ETA. */
  private long started;
  private long stepsSeen;
  /** A progress bar is drawn and its line not ended yet. */
  private boolean partial;

  ConsoleReporter(PrintWriter out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /**
   * Whether standard output is a terminal. From JDK 22 {@code System.console()} may exist even when
   * output is redirected, so {@code Console.isTerminal()} decides where it is available.
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17-21: a console exists only for a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  @Override
  public void onModel(ModelSummary model) {
    if (quiet) return;
    out.print(model.table());
    out.flush();
  }

  @Override
  public void onStart(int epochs, int batchesPerEpoch, int rowsPerEpoch) {
    this.epochs = epochs;
    this.batches = batchesPerEpoch;
    this.rowsPerBatch = (double) rowsPerEpoch / batchesPerEpoch;
    this.started = System.nanoTime();
    this.stepsSeen = 0;
  }

  @Override
  public void onBatch(int epoch, int batch, double meanLoss) {
    stepsSeen++;
    if (quiet || !terminal) return;
    long now = System.nanoTime();
    if (batch != batches && now - lastDraw < 100_000_000L) return; // redraw at most 10 times a second
    lastDraw = now;
    out.print(progress(epoch, batch, meanLoss, (now - started) / 1e9));
    out.flush();
    partial = true;
  }

  /**
   * The progress bar after batch {@code batch} of {@code epoch}, {@code seconds} into this command's
   * training: the loss so far, samples per second, and the time left in the epoch and in the run at that rate.
   */
  String progress(int epoch, int batch, double meanLoss, double seconds) {
    int filled = (int) ((long) BAR * batch / batches);
    String line = String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %s", epoch, epochs,
        "=".repeat(filled), " ".repeat(BAR - filled), batch, batches, Numbers.format(meanLoss));
    if (stepsSeen < 2 || seconds <= 0) return line;
    double perStep = seconds / stepsSeen;
    long left = (long) (epochs - epoch) * batches + (batches - batch);
    return line + String.format(Locale.ROOT, "  %,.0f samples/s  ETA %s (run %s)", rowsPerBatch / perStep,
        clock(perStep * (batches - batch)), clock(perStep * left));
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void onEpoch(int epoch, Map<String, Double> row) {
    if (quiet) return;
    Map<String, Double> shown = row.entrySet().stream().filter(e -> !e.getKey().equals("epoch") && !e.getKey().equals("seconds"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    String line = String.format(Locale.ROOT, "epoch %d/%d  %s  (%.2f s)", epoch, epochs, format(shown), row.get("seconds"));
    out.println(terminal ? "\r" + line + "\033[K" : line);
    out.flush();
    partial = false;
  }

  /** Ends a progress bar's line, so that what comes next (an error, a signal's message) starts on its own. */
  void endLine() {
    if (!partial) return;
    out.println();
    out.flush();
    partial = false;
  }

  /**
   * Runs {@code training} with this reporter and ends its line before whatever is printed next: an
   * error, or a signal's message (on a terminal, after the {@code ^C} the terminal echoed, always on a
   * line of its own).
   */
  <T> T around(Supplier<T> training) {
    try {
      return training.get();
    } catch (TrainingRun.Interrupted e) {
      if (terminal && !partial) {
        out.println();
        out.flush();
      }
      throw e;
    } finally {
      endLine();
    }
  }

  /** The end of a train or resume: the run directory, the final metrics per split, the epochs. */
  static void printOutcome(PrintWriter out, TrainingRun.Outcome outcome, boolean withSeconds) {
    out.println("run directory: " + outcome.directory());
    if (outcome.initialWeights() != null) out.println("  " + outcome.initialWeights().summary());
    for (Map.Entry<String, Map<String, Double>> split : outcome.result().finalMetrics().entrySet()) {
      out.println("  " + split.getKey() + ": " + format(split.getValue()));
    }
    if (outcome.result().stopReason() != null) out.println("  stopped early: " + outcome.result().stopReason());
    if (withSeconds) out.printf("  %d epochs in %.2f s%n", outcome.result().epochs(), outcome.result().seconds());
    else out.printf("  %d epochs%n", outcome.result().epochs());
    if (outcome.reportProblem() == null) out.println("  report: " + outcome.directory().resolve(RunReport.FILE));
    else out.println("  warning: " + outcome.reportProblem());
    out.flush();
  }

  /**
   * How the kernel threads were used between two readings of {@link Parallel#usage()}: nothing with
   * one thread or no job large enough to split, else the share of parallel jobs handed to the
   * workers (the rest ran on the calling thread because the fork gate measured that faster). More
   * threads asked for than the machine has processors are reported with the number that ran.
   */
  static void printThreads(PrintWriter out, Parallel.Usage before, Parallel.Usage after) {
    long forked = Math.max(0, after.forked() - before.forked());
    long alone = Math.max(0, after.onCaller() - before.onCaller());
    int asked = Parallel.threads();
    int running = Parallel.running();
    if (asked > running) {
      out.printf(Locale.ROOT, "  kernel threads: %d asked for, %d ran: this machine has %d processors (more threads than processors "
          + "only slow the kernels down; -Dneurite.oversubscribe=true runs them all)%n", asked, running, Parallel.processors());
    }
    boolean split = running >= 2 && forked + alone > 0;
    if (split && alone == 0) {
      out.printf(Locale.ROOT, "  kernel threads: %d (all %,d parallel jobs forked)%n", running, forked);
    } else if (split) {
      out.printf(Locale.ROOT, "  kernel threads: %d (%.0f %% of %,d parallel jobs forked; the rest ran faster on the calling thread alone)%n",
          running, 100.0 * forked / (forked + alone), forked + alone);
    }
    out.flush();
  }

  static String format(Map<String, Double> values) {
    return values.entrySet().stream()
        .map(e -> e.getKey() + " " + Numbers.format(e.getValue()))
        .collect(Collectors.joining("  "));
  }
}
