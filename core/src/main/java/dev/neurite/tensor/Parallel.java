package dev.neurite.tensor;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The kernels' threads. Work is split into blocks of output, each computed entirely by one thread,
 * so results never depend on the thread count.
 *
 * <p>A training step calls many small kernels back to back (a GEMM of a batch of 32 takes tens of
 * microseconds), so handing work over must cost far less than that. Waking a parked thread costs
 * about as much as such a GEMM on this kind of machine, so a worker that has finished a chunk
 * spins for a short while ({@code -Dneurite.spinMicros}, default 100) watching for the next one, and
 * only then parks. Idle workers therefore use no CPU once that moment has passed.
 */
public final class Parallel {
  private static final long SPIN_NANOS = Long.getLong("neurite.spinMicros", 100) * 1000;

  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static Workers workers; // guarded by Parallel.class
  /** True on a thread running a {@link #forRanges} body: the kernels it calls stay on that thread. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private Parallel() {}

  /** Threads the kernels may use (1 = the calling thread only). */
  public static int threads() {
    return threads;
  }

  public static synchronized void setThreads(int count) {
    if (count < 1) throw new IllegalArgumentException("threads must be at least 1, got " + count);
    if (count != threads && workers != null) {
      workers.shutdown();
      workers = null;
    }
    threads = count;
  }

  private static synchronized Workers workers() {
    if (workers == null) workers = new Workers(threads - 1);
    return workers;
  }

  /** A body over the items {@code from} (inclusive) to {@code to} (exclusive). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Splits the items {@code 0 .. count-1} into contiguous ranges, one per thread, and runs
   * {@code body} on each; the kernels called inside run on the calling thread. For work made of
   * many small independent pieces (a convolution's samples). The caller must make the result
   * independent of the split: each item written by one range only, and any sum across items
   * formed in a fixed grouping and order.
   */
  public static void forRanges(int count, RangeBody body) {
    int chunks = Math.min(threads, count);
    if (chunks <= 1 || INSIDE.get()) {
      body.run(0, count);
      return;
    }
    int per = count / chunks;
    int extra = count % chunks;
    forChunks(chunks, t -> {
      int from = t * per + Math.min(t, extra);
      int to = from + per + (t < extra ? 1 : 0);
      INSIDE.set(Boolean.TRUE);
      try {
        body.run(from, to);
      } finally {
        INSIDE.set(Boolean.FALSE);
      }
    });
  }

  /** Whether this thread runs inside a {@link #forRanges} body (and its kernels should not fork). */
  static boolean nested() {
    return INSIDE.get();
  }

  /**
   * Runs {@code body} for chunks 0 .. chunks-1 on the calling thread and the workers: each thread
   * takes the next chunk not yet taken until none is left, so a worker that starts late takes fewer
   * (chunks may outnumber threads for that reason). Each chunk runs entirely on one thread; which
   * one varies, so a chunk's result must not depend on it. When another thread is already using the
   * workers, this caller runs every chunk itself (the results are the same).
   */
  static void forChunks(int chunks, IntConsumer body) {
    if (chunks <= 1 || threads == 1) {
      for (int i = 0; i < chunks; i++) body.accept(i);
      return;
    }
    Workers w = workers();
    if (!w.lock.tryLock()) {
      for (int i = 0; i < chunks; i++) body.accept(i);
      return;
    }
    try {
      w.run(chunks, body);
    } finally {
      w.lock.unlock();
    }
  }

  /** One call of {@link #forChunks}, published to the workers as a whole through one volatile write. */
  private static final class Job {
    final long generation;
    final int chunks;
    final IntConsumer body;
    /** The next chunk to take, and how many have finished. */
    final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    volatile Throwable failure;

    Job(long generation, int chunks, IntConsumer body) {
      this.generation = generation;
      this.chunks = chunks;
      this.body = body;
    }

    /** Runs chunks until none is left to take. */
    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.accept(c);
        } catch (Throwable t) {
          if (failure == null) failure = t;
        }
        done.incrementAndGet();
      }
    }
  }

  /** The worker threads; each joins every job published while it is awake. */
  private static final class Workers {
    final ReentrantLock lock = new ReentrantLock();
    private final Thread[] threads;
    private final boolean[] parked; // guarded by `this`
    private volatile Job job = new Job(0, 0, i -> {});
    private volatile boolean stopped;

    Workers(int n) {
      threads = new Thread[n];
      parked = new boolean[n];
      for (int i = 0; i < n; i++) {
        int index = i;
        threads[i] = new Thread(() -> loop(index), "neurite-kernel-" + (index + 1));
        threads[i].setDaemon(true);
        threads[i].start();
      }
    }

    /** Called with {@link #lock} held. */
    void run(int chunks, IntConsumer body) {
      Job j = new Job(job.generation + 1, chunks, body);
      job = j;
      synchronized (this) {
        for (int i = 0; i < Math.min(threads.length, chunks - 1); i++) {
          if (parked[i]) LockSupport.unpark(threads[i]);
        }
      }
      j.work();
      long start = System.nanoTime();
      while (j.done.get() < chunks) { // a worker is finishing its last chunk
        if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
        else Thread.yield();
      }
      Throwable t = j.failure;
      if (t instanceof RuntimeException r) throw r;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException(t);
    }

    private void loop(int index) {
      long seen = 0;
      while (true) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (job.generation == seen && !stopped) {
          if (System.nanoTime() < deadline) {
            Thread.onSpinWait();
            continue;
          }
          synchronized (this) {
            parked[index] = true;
          }
          if (job.generation == seen && !stopped) LockSupport.park(this);
          synchronized (this) {
            parked[index] = false;
          }
        }
        if (stopped) return;
        Job j = job;
        seen = j.generation;
        j.work();
      }
    }

    void shutdown() {
      stopped = true;
      for (Thread t : threads) LockSupport.unpark(t);
    }
  }
}
