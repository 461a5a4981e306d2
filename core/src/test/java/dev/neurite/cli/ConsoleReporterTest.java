package dev.neurite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.run.TrainingRun;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Parallel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The progress bar's line endings, and the line that says how the kernel threads were used during a run. */
class ConsoleReporterTest {
  private int before;

  @BeforeEach
  void remember() {
    before = Parallel.threads();
  }

  @AfterEach
  void restore() {
    Parallel.setThreads(before);
  }

  private static String threadsLine(Parallel.Usage from, Parallel.Usage to) {
    StringWriter text = new StringWriter();
    ConsoleReporter.printThreads(new PrintWriter(text), from, to);
    return text.toString();
  }

  @Test
  void countsOnlyTheJobsOfThisRun() {
    Parallel.setThreads(2);
    assertThat(threadsLine(new Parallel.Usage(1000, 500), new Parallel.Usage(10_300, 3_000)))
        .isEqualTo("  kernel threads: 2 (79 % of 11,800 parallel jobs forked; the rest ran faster on the calling thread alone)"
            + System.lineSeparator());
    assertThat(threadsLine(new Parallel.Usage(0, 0), new Parallel.Usage(3_375, 0)))
        .isEqualTo("  kernel threads: 2 (all 3,375 parallel jobs forked)" + System.lineSeparator());
  }

  @Test
  void reportsThreadsPastTheProcessorsWithTheNumberThatRan() {
    boolean oversubscribed = Parallel.oversubscribe();
    try {
      Parallel.setOversubscribe(false);
      int processors = Parallel.processors();
      Parallel.setThreads(8 * processors);
      String lines = threadsLine(new Parallel.Usage(0, 0), new Parallel.Usage(500, 0));
      assertThat(lines).startsWith("  kernel threads: " + 8 * processors + " asked for, " + processors + " ran: this machine has "
          + processors + " processors (more threads than processors only slow the kernels down; -Dneurite.oversubscribe=true runs them all)"
          + System.lineSeparator());
      if (processors > 1) assertThat(lines).endsWith("  kernel threads: " + processors + " (all 500 parallel jobs forked)" + System.lineSeparator());
    } finally {
      Parallel.setOversubscribe(oversubscribed);
    }
  }

  @Test
  void saysNothingWithOneThreadOrNoParallelJob() {
    Parallel.setThreads(2);
    assertThat(threadsLine(new Parallel.Usage(7, 3), new Parallel.Usage(7, 3))).isEmpty();
    Parallel.setThreads(1);
    assertThat(threadsLine(new Parallel.Usage(0, 0), new Parallel.Usage(0, 0))).isEmpty();
  }

  /** What a terminal shows when {@code training} ends the way it does after {@code batches} of 10 batches of epoch 1. */
  private static String endOfTraining(boolean terminal, int batches, RuntimeException ending) {
    StringWriter text = new StringWriter();
    ConsoleReporter reporter = new ConsoleReporter(new PrintWriter(text), terminal, false);
    reporter.onStart(2, 10, 100);
    assertThatThrownBy(() -> reporter.around(() -> {
      for (int b = 1; b <= batches; b++) reporter.onBatch(1, b, 0.5);
      throw ending;
    })).isSameAs(ending);
    return text.toString();
  }

  @Test
  void anErrorOrASignalStartsOnALineOfItsOwn() {
    String n = System.lineSeparator();
    // the bar is drawn at the first batch (later ones within 0.1 s are skipped); its line is ended once
    assertThat(endOfTraining(true, 3, new NeuriteException("disk full")))
        .isEqualTo("\repoch 1/2 [===                           ] 1/10 loss 0.5000" + n);
    assertThat(endOfTraining(true, 3, new TrainingRun.Interrupted("interrupted")))
        .isEqualTo("\repoch 1/2 [===                           ] 1/10 loss 0.5000" + n);
    // between epochs the terminal's own ^C echo still needs a line ending
    assertThat(endOfTraining(true, 0, new TrainingRun.Interrupted("interrupted"))).isEqualTo(n);
    assertThat(endOfTraining(true, 0, new NeuriteException("disk full"))).isEmpty();
    // not a terminal: no bar, nothing to end
    assertThat(endOfTraining(false, 3, new TrainingRun.Interrupted("interrupted"))).isEmpty();
  }

  @Test
  void theProgressBarShowsSamplesPerSecondAndTheTimeLeft() {
    ConsoleReporter reporter = new ConsoleReporter(new PrintWriter(new StringWriter()), true, false);
    reporter.onStart(3, 40, 1280); // 32 rows a batch
    for (int b = 1; b <= 10; b++) reporter.onBatch(1, b, 0.25);
    // 10 steps in 2 s: 5 steps/s, 160 samples/s; 30 steps left in the epoch (6 s), 110 in the run (22 s)
    assertThat(reporter.progress(1, 10, 0.25, 2.0))
        .isEqualTo("\repoch 1/3 [=======                       ] 10/40 loss 0.2500  160 samples/s  ETA 0:06 (run 0:22)");
    assertThat(ConsoleReporter.clock(3725)).isEqualTo("1:02:05");
    assertThat(ConsoleReporter.clock(59.6)).isEqualTo("1:00");
  }
}
