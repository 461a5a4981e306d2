package dev.neurite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.tensor.Parallel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The line that says how the kernel threads were used during a run. */
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
  void saysNothingWithOneThreadOrNoParallelJob() {
    Parallel.setThreads(2);
    assertThat(threadsLine(new Parallel.Usage(7, 3), new Parallel.Usage(7, 3))).isEmpty();
    Parallel.setThreads(1);
    assertThat(threadsLine(new Parallel.Usage(0, 0), new Parallel.Usage(0, 0))).isEmpty();
  }
}
