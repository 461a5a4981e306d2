package dev.neurite.tensor;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernels' worker pool: every item exactly once, failures reach the caller, concurrent callers are safe. */
class ParallelTest {
  private int before;
  private boolean adaptiveBefore;
  private boolean oversubscribeBefore;

  @BeforeEach
  void remember() {
    before = Parallel.threads();
    adaptiveBefore = Parallel.adaptive();
    oversubscribeBefore = Parallel.oversubscribe();
  }

  @AfterEach
  void restore() {
    Parallel.setAdaptive(adaptiveBefore);
    Parallel.setOversubscribe(oversubscribeBefore);
    Parallel.setThreads(before);
  }

  /** The ranges of one forRanges job over {@code count} items, as "from-to" in the order they started. */
  private static java.util.List<String> rangesOf(int count) {
    java.util.List<String> ranges = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Parallel.forRanges(count, (from, to) -> ranges.add(from + "-" + to));
    java.util.Collections.sort(ranges, java.util.Comparator.comparingInt(r -> Integer.parseInt(r.substring(0, r.indexOf('-')))));
    return ranges;
  }

  @Test
  void threadsPastTheProcessorsRunAsManyAsThereAreProcessorsUnlessOversubscribing() {
    Parallel.setAdaptive(false);
    int processors = Parallel.processors();
    int asked = 8 * processors;
    Parallel.setOversubscribe(false);
    Parallel.setThreads(asked);
    assertThat(Parallel.threads()).isEqualTo(asked);
    assertThat(Parallel.running()).isEqualTo(processors);
    assertThat(rangesOf(asked)).as("work split for the threads that run").hasSize(processors);
    Parallel.setOversubscribe(true);
    assertThat(Parallel.running()).isEqualTo(asked);
    assertThat(rangesOf(asked)).hasSize(asked);
    Parallel.setThreads(1);
    assertThat(Parallel.running()).isEqualTo(1);
    assertThat(rangesOf(asked)).containsExactly("0-" + asked);
  }

  /** A GEMM operand: (i % period) * step + offset, exact in float. */
  private static float[] operand(int length, int period, float step, float offset) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) x[i] = (i % period) * step + offset;
    return x;
  }

  @Test
  void forRangesCoversEveryItemOnceWithContiguousRanges() {
    for (int threads : new int[] {1, 2, 3}) {
      Parallel.setThreads(threads);
      for (int count : new int[] {0, 1, 2, 5, 16, 17, 1000}) {
        AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(1, count));
        for (int repeat = 0; repeat < 50; repeat++) { // many jobs back to back: workers spinning and parked
          Parallel.forRanges(count, (from, to) -> {
            assertThat(from).isLessThanOrEqualTo(to);
            for (int i = from; i < to; i++) seen.incrementAndGet(i);
          });
        }
        for (int i = 0; i < count; i++) assertThat(seen.get(i)).as("item %d of %d, %d threads", i, count, threads).isEqualTo(50);
      }
    }
  }

  @Test
  void moreChunksThanThreadsEachRunOnceAndAStalledThreadLeavesItsShareToTheOther() {
    Parallel.setThreads(2);
    Parallel.setAdaptive(false);
    for (int round = 0; round < 3; round++) {
      AtomicIntegerArray seen = new AtomicIntegerArray(9);
      String[] ranOn = new String[9];
      java.util.concurrent.CountDownLatch othersTaken = new java.util.concurrent.CountDownLatch(8);
      boolean[] unblocked = new boolean[1];
      Parallel.forChunks(9, (c, of) -> {
        seen.incrementAndGet(c);
        ranOn[c] = Thread.currentThread().getName();
        if (c != 0) {
          othersTaken.countDown();
          return;
        }
        // chunk 0 stalls until the 8 others have run: only the other thread can run them
        try {
          unblocked[0] = othersTaken.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int c = 0; c < 9; c++) assertThat(seen.get(c)).as("chunk %d, round %d", c, round).isEqualTo(1);
      // with a fixed share of chunks per thread the stalled thread's would wait for it
      assertThat(unblocked[0]).as("round %d: the other thread took the chunks left", round).isTrue();
      for (int c = 1; c < 9; c++) assertThat(ranOn[c]).as("chunk %d, round %d", c, round).isNotEqualTo(ranOn[0]);
    }
  }

  @Test
  void jobsBackToBackNeverRunAChunkTwiceOrWithAnotherJobsBody() {
    // the workers share one reused job record: a worker late from one job must never claim a chunk
    // of the next under the old body, nor run a chunk twice (checked per job and per body)
    Parallel.setThreads(2);
    int jobs = 20_000;
    int[][] counts = {new int[jobs * 9], new int[jobs * 9]};
    for (int j = 0; j < jobs; j++) {
      int job = j;
      int chunks = 2 + j % 8;
      int[] mine = counts[j % 2];
      int[] other = counts[1 - j % 2];
      Parallel.forChunks(chunks, (c, of) -> {
        synchronized (mine) {
          mine[job * 9 + c]++;
        }
        synchronized (other) {
          assertThat(other[job * 9 + c]).isZero();
        }
      });
    }
    for (int j = 0; j < jobs; j++) {
      for (int c = 0; c < 9; c++) {
        int expected = c < 2 + j % 8 ? 1 : 0;
        assertThat(counts[j % 2][j * 9 + c]).as("job %d chunk %d", j, c).isEqualTo(expected);
        assertThat(counts[1 - j % 2][j * 9 + c]).as("job %d chunk %d under the other body", j, c).isZero();
      }
    }
  }

  @Test
  void aFailureInAWorkersChunkReachesTheCaller() {
    Parallel.setThreads(2);
    assertThatThrownBy(() -> Parallel.forRanges(10, (from, to) -> {
      if (from > 0) throw new IllegalStateException("chunk from " + from + " failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("chunk from 5 failed");
    // and the pool still works afterwards
    AtomicIntegerArray seen = new AtomicIntegerArray(10);
    Parallel.forRanges(10, (from, to) -> {
      for (int i = from; i < to; i++) seen.incrementAndGet(i);
    });
    for (int i = 0; i < 10; i++) assertThat(seen.get(i)).isEqualTo(1);
  }

  @Test
  void kernelsInsideARangeStayOnItsThreadAndTwoCallersAtOnceGetTheirOwnResults() throws Exception {
    Parallel.setThreads(2);
    float[] a = operand(64 * 300, 13, 0.25f, -1);
    float[] b = operand(300 * 256, 7, 0.5f, -1.5f);
    float[] expected = new float[64 * 256];
    Kernels.gemmScalar(false, false, 64, 256, 300, 1f, a, 0, b, 0, 0f, expected, 0);
    float[][] results = new float[3][64 * 256];
    Thread other = new Thread(() -> {
      for (int r = 0; r < 200; r++) Kernels.gemm(AS_IS, AS_IS, 64, 256, 300, 1f, a, b, 0f, results[1]);
    });
    other.start();
    for (int r = 0; r < 200; r++) {
      Parallel.forRanges(2, (from, to) -> {
        assertThat(Parallel.nested()).isTrue();
        // items 0 and 1: one each on the two threads, or both here while the other caller holds the pool
        for (int item = from; item < to; item++) {
          Kernels.gemm(AS_IS, AS_IS, 64, 256, 300, 1f, a, b, 0f, results[item == 0 ? 0 : 2]); // runs whole on this thread
        }
      });
    }
    other.join();
    assertThat(results[0]).isEqualTo(expected);
    assertThat(results[1]).isEqualTo(expected);
    assertThat(results[2]).isEqualTo(expected);
    assertThat(Parallel.nested()).isFalse();
  }

  @Test
  void theAdaptiveGateRunsJobsBothWaysWithTheSameResults() {
    // windows of one job, alternating between a tiny range job and a GEMM: a probe compares its one
    // job with the one before, so the gate keeps switching and both ways must occur
    Parallel.setThreads(2);
    float[] a = operand(64 * 300, 13, 0.25f, -1);
    float[] b = operand(300 * 256, 7, 0.5f, -1.5f);
    float[] expected = new float[64 * 256];
    Kernels.gemmScalar(false, false, 64, 256, 300, 1f, a, 0, b, 0, 0f, expected, 0);
    Parallel.setAdaptive(true, 1); // and counting jobs from here
    for (int r = 0; r < 300; r++) {
      AtomicIntegerArray seen = new AtomicIntegerArray(5);
      Parallel.forRanges(5, (from, to) -> {
        for (int i = from; i < to; i++) seen.incrementAndGet(i);
      });
      for (int i = 0; i < 5; i++) assertThat(seen.get(i)).as("item %d, job %d", i, r).isEqualTo(1);
      float[] c = new float[64 * 256];
      Kernels.gemm(AS_IS, AS_IS, 64, 256, 300, 1f, a, b, 0f, c);
      assertThat(c).as("GEMM %d", r).isEqualTo(expected);
    }
    Parallel.Usage usage = Parallel.usage();
    assertThat(usage.forked() + usage.onCaller()).isEqualTo(600);
    assertThat(usage.forked()).as("forked").isPositive();
    assertThat(usage.onCaller()).as("run on the caller alone").isPositive();
  }

  @Test
  void withoutTheGateEveryJobIsForked() {
    Parallel.setThreads(2);
    Parallel.setAdaptive(false);
    for (int r = 0; r < 100; r++) Parallel.forRanges(5, (from, to) -> {});
    assertThat(Parallel.usage()).isEqualTo(new Parallel.Usage(100, 0));
  }

  @Test
  void bothRunsEachTaskOnceAndWithTwoThreadsSideBySideWithItsKernelsKeptOnItsThread() {
    float[] a = operand(64 * 300, 13, 0.25f, -1);
    float[] b = operand(300 * 256, 7, 0.5f, -1.5f);
    float[] expected = new float[64 * 256];
    Kernels.gemmScalar(false, false, 64, 256, 300, 1f, a, 0, b, 0, 0f, expected, 0);
    for (int threads : new int[] {1, 2, 3}) {
      Parallel.setThreads(threads);
      Parallel.setAdaptive(false); // fork whenever both() hands the pair over
      int[] runs = new int[2];
      String[] ranOn = new String[2];
      boolean[] nested = new boolean[2];
      float[][] c = new float[2][64 * 256];
      int apart = 0;
      for (int r = 0; r < 50; r++) {
        Parallel.both(() -> {
          runs[0]++;
          ranOn[0] = Thread.currentThread().getName();
          nested[0] = Parallel.nested();
          Kernels.gemm(AS_IS, AS_IS, 64, 256, 300, 1f, a, b, 0f, c[0]);
        }, () -> {
          runs[1]++;
          ranOn[1] = Thread.currentThread().getName();
          nested[1] = Parallel.nested();
          Kernels.gemm(AS_IS, AS_IS, 64, 256, 300, 1f, a, b, 0f, c[1]);
        });
        if (!ranOn[0].equals(ranOn[1])) apart++;
      }
      assertThat(runs).as("%d threads", threads).containsExactly(50, 50);
      assertThat(c[0]).as("%d threads", threads).isEqualTo(expected);
      assertThat(c[1]).as("%d threads", threads).isEqualTo(expected);
      if (threads == 2) {
        // each task whole on one thread: its GEMM does not fork again (which thread takes the second
        // task depends on when the worker wakes; the test below makes it wait for one)
        assertThat(nested).containsExactly(true, true);
        assertThat(Parallel.usage().forked()).isEqualTo(50);
      } else {
        // one after the other on the caller, each GEMM split as usual (with three threads)
        assertThat(nested).containsExactly(false, false);
        assertThat(apart).isZero();
      }
      assertThat(Parallel.nested()).isFalse();
    }
  }

  @Test
  void withTwoThreadsBothRunsTheTasksAtTheSameTimeOnTwoThreads() {
    Parallel.setThreads(2);
    Parallel.setAdaptive(false);
    java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
    String[] ranOn = new String[2];
    boolean[] overlapped = new boolean[1];
    // the thread that takes the first task waits for the second to start: only another thread can start it
    Parallel.both(() -> {
      ranOn[0] = Thread.currentThread().getName();
      try {
        overlapped[0] = secondStarted.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, () -> {
      ranOn[1] = Thread.currentThread().getName();
      secondStarted.countDown();
    });
    assertThat(overlapped[0]).as("the second task started while the first ran").isTrue();
    assertThat(ranOn[0]).isNotEqualTo(ranOn[1]);
  }

  @Test
  void bothInsideARangeRunsItsTasksInOrderOnThatThread() {
    Parallel.setThreads(2);
    Parallel.setAdaptive(false);
    java.util.List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Parallel.forRanges(2, (from, to) -> {
      for (int item = from; item < to; item++) {
        int i = item;
        String thread = Thread.currentThread().getName();
        Parallel.both(() -> order.add(i + " first " + thread.equals(Thread.currentThread().getName())),
            () -> order.add(i + " second " + thread.equals(Thread.currentThread().getName())));
      }
    });
    assertThat(order).containsExactlyInAnyOrder("0 first true", "0 second true", "1 first true", "1 second true");
    assertThat(order.indexOf("0 first true")).isLessThan(order.indexOf("0 second true"));
    assertThat(order.indexOf("1 first true")).isLessThan(order.indexOf("1 second true"));
  }

  @Test
  void aFailureInEitherTaskOfBothReachesTheCaller() {
    Parallel.setThreads(2);
    Parallel.setAdaptive(false);
    assertThatThrownBy(() -> Parallel.both(() -> {}, () -> {
      throw new IllegalStateException("second task failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("second task failed");
    assertThatThrownBy(() -> Parallel.both(() -> {
      throw new IllegalArgumentException("first task failed");
    }, () -> {})).isInstanceOf(IllegalArgumentException.class).hasMessage("first task failed");
    int[] runs = new int[2];
    Parallel.both(() -> runs[0]++, () -> runs[1]++); // and the pool still works
    assertThat(runs).containsExactly(1, 1);
  }

  /** The serial-fraction profile times the outermost splittable regions only, and counts them by kind. */
  @Test
  void theProfileTimesOutermostSplittableWorkOnly() {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      Parallel.profile(true);
      Parallel.forRanges(4, (from, to) -> {
        long until = System.nanoTime() + 2_000_000;
        while (System.nanoTime() < until) Thread.onSpinWait();
        Parallel.forRanges(2, (a, b) -> {}); // nested: inside the outer region's time, not counted again
      });
      Parallel.both(() -> {}, () -> {});
      float[] m = new float[64 * 64];
      Kernels.gemm(Kernels.Op.AS_IS, Kernels.Op.AS_IS, 64, 64, 64, 1f, m, m, 0f, new float[64 * 64]); // 262,144 multiply-adds: splittable
      Kernels.gemm(Kernels.Op.AS_IS, Kernels.Op.AS_IS, 8, 8, 8, 1f, m, m, 0f, new float[64]); // too small to split: serial
      Parallel.Profile p = Parallel.profiled();
      assertThat(p.ranges()).isEqualTo(1);
      assertThat(p.pairs()).isEqualTo(1);
      assertThat(p.gemms()).isEqualTo(1);
      assertThat(p.parallelNanos()).isGreaterThanOrEqualTo(2_000_000);
    } finally {
      Parallel.profile(false);
      Parallel.setThreads(before);
    }
  }
}
