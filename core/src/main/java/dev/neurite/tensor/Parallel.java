package dev.neurite.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The kernels' threads. Work is split into blocks of output, each computed entirely by one thread,
 * so results never depend on the thread count. Idle workers park (ForkJoinPool), they do not spin.
 */
public final class Parallel {
  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static volatile ForkJoinPool pool;

  private Parallel() {}

  /** Threads the kernels may use (1 = the calling thread only). */
  public static int threads() {
    return threads;
  }

  public static synchronized void setThreads(int count) {
    if (count < 1) throw new IllegalArgumentException("threads must be at least 1, got " + count);
    if (count != threads && pool != null) {
      pool.shutdown();
      pool = null;
    }
    threads = count;
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Parallel.class) {
        if (pool == null) pool = new ForkJoinPool(threads);
        p = pool;
      }
    }
    return p;
  }

  /** Runs {@code body} for chunks 0 .. chunks-1, the calling thread taking chunk 0. */
  static void forChunks(int chunks, IntConsumer body) {
    if (chunks <= 1 || threads == 1) {
      for (int i = 0; i < chunks; i++) body.accept(i);
      return;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    ForkJoinPool p = pool();
    for (int t = 1; t < chunks; t++) {
      int chunk = t;
      tasks[t - 1] = p.submit(() -> body.accept(chunk));
    }
    body.accept(0);
    for (ForkJoinTask<?> task : tasks) task.join();
  }
}
