package dev.neurite.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernels' threads. Work is split into blocks of output, each computed entirely by one thread,
 * so results never depend on the thread count.
 *
 * <p>A training step calls many small kernels back to back (a GEMM of a batch of 32 takes tens of
 * microseconds), so handing work over must cost far less than that. Waking a parked thread costs
 * about as much as such a GEMM on this kind of machine, so a worker that has finished a chunk
 * spins for a short while ({@code -Dneurite.spinMicros}, default 100) watching for the next one, and
 * only then parks; a caller waiting for a worker's last chunk does the same. Idle threads therefore
 * use no CPU once that moment has passed. Handing work over allocates nothing: the workers share
 * one job record that each call rewrites (see {@link Workers}).
 *
 * <p>Whether forking pays is measured while training runs: a {@link ForkGate} runs the jobs on the
 * calling thread alone while that is faster, as it can be on a cloud VM whose cores are shared
 * ({@code -Dneurite.adaptiveThreads=false} forks always). The results are the same either way.
 *
 * <p>Asked for more threads than the machine has processors, the kernels run as many threads as there are
 * processors ({@link #running()}) and split their work for that many: sixteen threads spinning and
 * handing over eight times finer chunks on two processors ran at 0.5-0.6 of the speed of two. The
 * console reports it; {@code -Dneurite.oversubscribe=true} (or {@link #setOversubscribe}) runs every
 * thread asked for, as the tests do to check the bits on any split.
 */
public final class Parallel {
  private static final long SPIN_NANOS = Long.getLong("neurite.spinMicros", 100) * 1000;

  /** The processors this JVM may use (a container's limit included), read once. */
  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

  private static volatile int threads = PROCESSORS;
  private static volatile boolean oversubscribe = Boolean.getBoolean("neurite.oversubscribe");
  private static volatile boolean adaptive = !"false".equals(System.getProperty("neurite.adaptiveThreads"));
  /** Jobs per timed window of a {@link ForkGate}: about a hundred MLP training steps. */
  private static final int GATE_WINDOW = 1024;
  private static volatile int gateWindow = GATE_WINDOW;
  private static Workers workers; // guarded by Parallel.class
  /** True on a thread running a {@link #forRanges} body: the kernels it calls stay on that thread. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private Parallel() {}

  /** Threads asked for (1 = the calling thread only): {@code --threads}, by default the processors. */
  public static int threads() {
    return threads;
  }

  /**
   * Threads that run the kernels, the calling thread included, and how many parts their work is split into:
   * {@link #threads()}, but no more than the processors unless oversubscribing.
   */
  public static int running() {
    int asked = threads;
    return oversubscribe ? asked : Math.min(asked, PROCESSORS);
  }

  /** The processors this JVM may use. */
  public static int processors() {
    return PROCESSORS;
  }

  public static synchronized void setThreads(int count) {
    if (count < 1) throw new IllegalArgumentException("threads must be at least 1, got " + count);
    threads = count;
    restartWorkers();
  }

  /** Whether to run every thread asked for even past the processors (false by default: see the class comment). */
  public static synchronized void setOversubscribe(boolean on) {
    oversubscribe = on;
    restartWorkers();
  }

  /** Whether threads past the processors run. */
  public static boolean oversubscribe() {
    return oversubscribe;
  }

  /** Lets the workers go when their number no longer matches {@link #running()}; the next job starts new ones. */
  private static void restartWorkers() {
    if (workers != null && workers.threads.length != running() - 1) {
      workers.shutdown();
      workers = null;
    }
  }

  /** Whether forking is decided from measured time (the default) or always done. */
  public static boolean adaptive() {
    return adaptive;
  }

  /** Decide from measured time whether to fork ({@link ForkGate}), or always fork. */
  public static void setAdaptive(boolean on) {
    setAdaptive(on, GATE_WINDOW);
  }

  /** The same with windows of {@code window} jobs (tests use short ones to make the gate switch often). */
  static synchronized void setAdaptive(boolean on, int window) {
    if (workers != null) {
      workers.shutdown();
      workers = null;
    }
    adaptive = on;
    gateWindow = window;
  }

  /** Parallel jobs since the thread count or the adaptive setting last changed. */
  public record Usage(long forked, long onCaller) {}

  /** How many parallel jobs were handed to the workers and how many ran on the caller alone by choice of a {@link ForkGate}. */
  public static synchronized Usage usage() {
    return workers == null ? new Usage(0, 0) : new Usage(workers.forked, workers.onCaller);
  }

  private static synchronized Workers workers() {
    if (workers == null) workers = new Workers(running() - 1, adaptive ? gateWindow : 0);
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
   *
   * <p>Nothing is allocated per call: a body kept in a field of its owner (a method reference
   * created once, reading the call's arguments from fields) makes a training step allocation-free.
   */
  public static void forRanges(int count, RangeBody body) {
    long start = enter(count >= 2); // one item cannot split: serial work
    try {
      ranges(count, body);
    } finally {
      exit(start, Region.RANGES);
    }
  }

  private static void ranges(int count, RangeBody body) {
    int chunks = Math.min(running(), count);
    if (recording && count >= 2 && !INSIDE.get() && !(body instanceof Both)) note(owner(body) + ": " + count + " items in " + chunks + " ranges");
    if (chunks <= 1 || INSIDE.get()) {
      body.run(0, count);
      return;
    }
    Workers w = workers();
    if (!w.lock.tryLock()) { // another thread is using the workers: all items here, as with one thread
      runRange(body, count, 1, 0);
      return;
    }
    try {
      w.run(chunks, null, body, count);
    } finally {
      w.lock.unlock();
    }
  }

  /**
   * Runs {@code first} and {@code second}, two tasks that write nothing the other reads or writes
   * (a dense layer's weight gradient and its input gradient): with exactly two threads side by side,
   * each task whole on one thread with its kernels kept there (one handover instead of one per
   * kernel, and each GEMM unsplit: 1.16-1.38x faster than splitting both for the bench MLP's second layer,
   * docs/performance.md); otherwise, and inside a {@link #forRanges} body, one after the other on
   * the calling thread, their kernels splitting as usual. Either way each task computes the same
   * bits. Nothing is allocated per call when the tasks are kept in fields of their owner.
   */
  public static void both(Runnable first, Runnable second) {
    long start = enter();
    try {
      pair(first, second);
    } finally {
      exit(start, Region.BOTH);
    }
  }

  private static void pair(Runnable first, Runnable second) {
    if (recording && !INSIDE.get()) {
      note(owner(first) + ": two tasks " + (running() == 2 ? "side by side" : "one after the other, their kernels split"));
    }
    if (running() != 2 || INSIDE.get()) {
      first.run();
      second.run();
      return;
    }
    Both pair = BOTH.get();
    pair.first = first;
    pair.second = second;
    try {
      forRanges(2, pair);
    } finally {
      pair.first = null;
      pair.second = null;
    }
  }

  /** This thread's {@link #both} call: item 0 is the first task, item 1 the second. */
  private static final ThreadLocal<Both> BOTH = ThreadLocal.withInitial(Both::new);

  private static final class Both implements RangeBody {
    Runnable first, second;

    @Override
    public void run(int from, int to) {
      if (from == 0) first.run();
      if (to == 2) second.run();
    }
  }

  /** Range {@code c} of {@code chunks} over {@code count} items, with the kernels it calls kept on this thread. */
  private static void runRange(RangeBody body, int count, int chunks, int c) {
    int per = count / chunks;
    int extra = count % chunks;
    int from = c * per + Math.min(c, extra);
    int to = from + per + (c < extra ? 1 : 0);
    boolean outer = !INSIDE.get();
    INSIDE.set(Boolean.TRUE);
    try {
      body.run(from, to);
    } finally {
      if (outer) INSIDE.set(Boolean.FALSE);
    }
  }

  // The decomposition record (./neurite bench): how the parallel jobs of a step were split, by kind of job.
  private static volatile boolean recording;
  private static final java.util.Map<String, Integer> DECOMPOSITION = new java.util.LinkedHashMap<>();

  /** Starts (or, with false, stops) recording how each parallel job is split; starting clears the record. */
  public static synchronized void recordDecomposition(boolean on) {
    if (on) DECOMPOSITION.clear();
    recording = on;
  }

  /** The decomposition recorded so far: each kind of split, in the order first seen, and how many times it was chosen. */
  public static synchronized java.util.Map<String, Integer> decomposition() {
    return new java.util.LinkedHashMap<>(DECOMPOSITION);
  }

  /** Whether jobs are being recorded (a kernel builds its description only then). */
  static boolean recording() {
    return recording;
  }

  /** Records one job split as {@code how}. */
  static synchronized void note(String how) {
    if (recording) DECOMPOSITION.merge(how, 1, Integer::sum);
  }

  /** The simple name of a job body's class, or of the class a lambda or method reference is in ({@code Conv2d}). */
  private static String owner(Object body) {
    String name = body.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    if (lambda > 0) name = name.substring(0, lambda);
    return name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
  }

  // The serial-fraction profile (./neurite bench with one thread): time spent in work that more threads would split.
  private static boolean profiling;
  private static int profileDepth;
  private static long profiledNanos;
  private static final long[] profiledRegions = new long[Region.values().length];

  /** The kinds of work that threads split: a GEMM large enough to split, a {@link #forRanges} job, a {@link #both} pair. */
  public enum Region { GEMM, RANGES, BOTH }

  /** What {@link #profile} measured since it started: nanoseconds inside splittable work, and how many regions of each kind. */
  public record Profile(long parallelNanos, long gemms, long ranges, long pairs) {
    /** Nothing measured. */
    public static final Profile NONE = new Profile(0, 0, 0, 0);

    /** What was measured between {@code earlier} and this profile. */
    public Profile since(Profile earlier) {
      return new Profile(parallelNanos - earlier.parallelNanos, gemms - earlier.gemms, ranges - earlier.ranges, pairs - earlier.pairs);
    }

    /** The two profiles' counts added. */
    public Profile plus(Profile other) {
      return new Profile(parallelNanos + other.parallelNanos, gemms + other.gemms, ranges + other.ranges, pairs + other.pairs);
    }
  }

  /**
   * Starts (or, with false, stops) measuring the time spent in work that threads split, outermost regions only, for the
   * serial fraction of a step: the rest of the step's time is what no thread count shortens. For one thread on one
   * calling thread (the counters are not synchronized).
   */
  public static void profile(boolean on) {
    profiling = on;
    profileDepth = 0;
    profiledNanos = 0;
    java.util.Arrays.fill(profiledRegions, 0);
  }

  /** The profile so far. */
  public static Profile profiled() {
    return new Profile(profiledNanos, profiledRegions[0], profiledRegions[1], profiledRegions[2]);
  }

  private static final long NOT_PROFILED = Long.MIN_VALUE;
  private static final long NESTED = Long.MIN_VALUE + 1;

  /** Enters a splittable region: its start time when outermost and profiling (for {@link #exit}). */
  static long enter() {
    return enter(true);
  }

  /** The same for work that is split only when {@code splits} (large enough); other work counts as serial. */
  static long enter(boolean splits) {
    if (!profiling || !splits) return NOT_PROFILED;
    return profileDepth++ == 0 ? System.nanoTime() : NESTED;
  }

  /** Leaves the region {@link #enter} returned {@code start} for. */
  static void exit(long start, Region kind) {
    if (start == NOT_PROFILED || !profiling) return;
    profileDepth--;
    if (start != NESTED) {
      profiledNanos += System.nanoTime() - start;
      profiledRegions[kind.ordinal()]++;
    }
  }

  /** A kernel thread: its slot, 1 .. running - 1, names its buffers in the kernels that keep one per thread. */
  private static final class Worker extends Thread {
    final int slot;

    Worker(Runnable loop, int slot) {
      super(loop, "neurite-kernel-" + slot);
      this.slot = slot;
    }
  }

  /**
   * This thread's slot: 1 .. {@link #running()} - 1 for a kernel thread, 0 for any other (the callers). A
   * kernel that keeps buffers per kernel thread sizes them from the caller before a job (no allocation
   * on a kernel thread in a later step) and keeps a thread-local one for callers.
   */
  public static int slot() {
    return Thread.currentThread() instanceof Worker w ? w.slot : 0;
  }

  /** Whether this thread runs inside a {@link #forRanges} body (and its kernels should not fork). */
  static boolean nested() {
    return INSIDE.get();
  }

  /** Chunk {@code chunk} of a job split into {@code of} chunks. */
  @FunctionalInterface
  interface ChunkBody {
    void run(int chunk, int of);
  }

  /**
   * Runs {@code body} for chunks 0 .. chunks-1 of {@code chunks} on the calling thread and the
   * workers: each thread takes the next chunk not yet taken until none is left, so a worker that
   * starts late takes fewer (chunks may outnumber threads for that reason). Each chunk runs entirely
   * on one thread; which one varies, so a chunk's result must not depend on it. When the job is not
   * forked (one thread, another caller using the workers, or a {@link ForkGate} that found the
   * caller alone faster, or a call from inside a range job) the caller runs it as chunk 0 of 1: the
   * body must give the same results for any split.
   */
  static void forChunks(int chunks, ChunkBody body) {
    if (chunks <= 1 || running() == 1 || INSIDE.get()) {
      body.run(0, 1);
      return;
    }
    Workers w = workers();
    if (!w.lock.tryLock()) {
      body.run(0, 1);
      return;
    }
    try {
      w.run(chunks, body, null, 0);
    } finally {
      w.lock.unlock();
    }
  }

  /**
   * The worker threads and the one job they share. A job is not an object: the caller holding
   * {@link #lock} rewrites the fields below for each call, so handing work over allocates nothing.
   *
   * <p>Chunks are claimed through {@link #ticket}: the job's generation in the high 32 bits, the next
   * chunk in the low 32. A worker reads the ticket, then the job's fields, then claims its chunk with a
   * compare-and-set of the ticket it read; the caller closes the old ticket before it rewrites the
   * fields, so a worker that read fields of the next job under the old ticket fails its
   * compare-and-set and reads again (a sequence lock). A claimed chunk therefore always belongs to
   * the job whose fields were read, and that job cannot end (and its fields change) before the chunk
   * is counted in {@link #done}.
   */
  private static final class Workers {
    /** A ticket's low half when its job is closed: no chunk index reaches it. */
    private static final long CLOSED = 0xFFFF_FFFFL;

    final ReentrantLock lock = new ReentrantLock();
    private final Thread[] threads;
    private final boolean[] parked; // guarded by `this`
    private final AtomicLong ticket = new AtomicLong(CLOSED);
    /** Chunks finished in the current job. */
    private final AtomicInteger done = new AtomicInteger();
    private volatile int chunks;
    private volatile ChunkBody chunkBody; // either this,
    private volatile RangeBody rangeBody; // or this over rangeCount items
    private volatile int rangeCount;
    private volatile Throwable failure;
    /** The caller, while it is parked waiting for a worker's last chunk. */
    private volatile Thread waiting;
    private volatile boolean stopped;
    private int generation; // written by the lock holder only
    /** Whether to fork the next job, or null to fork always. */
    private final ForkGate gate;
    volatile long forked; // written by the lock holder only
    volatile long onCaller; // written by the lock holder only

    Workers(int n, int gateWindow) {
      gate = gateWindow < 1 ? null : new ForkGate(gateWindow, 4, 32);
      threads = new Thread[n];
      parked = new boolean[n];
      for (int i = 0; i < n; i++) {
        int index = i;
        threads[i] = new Worker(() -> loop(index), index + 1);
        threads[i].setDaemon(true);
        threads[i].start();
      }
    }

    /** Called with {@link #lock} held; one of {@code chunkBody} and {@code rangeBody} is null. */
    void run(int chunks, ChunkBody chunkBody, RangeBody rangeBody, int rangeCount) {
      long start = System.nanoTime();
      if (gate != null && !gate.fork()) { // the whole job at once, as with one thread
        if (chunkBody != null) chunkBody.run(0, 1);
        else runRange(rangeBody, rangeCount, 1, 0);
        gate.record(start, System.nanoTime());
        onCaller++;
        return;
      }
      fork(chunks, chunkBody, rangeBody, rangeCount);
      if (gate != null) gate.record(start, System.nanoTime());
      forked++;
    }

    private void fork(int chunks, ChunkBody chunkBody, RangeBody rangeBody, int rangeCount) {
      ticket.set((long) generation << 32 | CLOSED); // workers still reading the last job's fields fail their claim
      int g = ++generation;
      this.chunks = chunks;
      this.chunkBody = chunkBody;
      this.rangeBody = rangeBody;
      this.rangeCount = rangeCount;
      failure = null;
      done.set(0);
      ticket.set((long) g << 32);
      synchronized (this) {
        for (int i = 0; i < Math.min(threads.length, chunks - 1); i++) {
          if (parked[i]) LockSupport.unpark(threads[i]);
        }
      }
      work(g);
      awaitDone(chunks);
      this.chunkBody = null; // let go of the caller's arrays
      this.rangeBody = null;
      Throwable t = failure;
      if (t instanceof RuntimeException r) throw r;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException(t);
    }

    /** Waits for the chunks the workers took: spins briefly, then parks until the last one unparks it. */
    private void awaitDone(int chunks) {
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (done.get() < chunks) {
        if (System.nanoTime() < deadline) {
          Thread.onSpinWait();
          continue;
        }
        waiting = Thread.currentThread();
        if (done.get() < chunks) LockSupport.park(this);
        waiting = null;
      }
    }

    /** Runs chunks of job {@code g} until none is left to take. */
    private void work(int g) {
      while (true) {
        long t = ticket.get();
        if ((int) (t >>> 32) != g) return;
        int c = (int) t;
        int n = chunks;
        ChunkBody cb = chunkBody;
        RangeBody rb = rangeBody;
        int count = rangeCount;
        if (c < 0 || c >= n) return; // all taken, or closed (CLOSED is -1 as an int)
        if (!ticket.compareAndSet(t, t + 1)) continue;
        try {
          if (cb != null) cb.run(c, n);
          else runRange(rb, count, n, c);
        } catch (Throwable e) {
          if (failure == null) failure = e;
        }
        if (done.incrementAndGet() == n) {
          Thread w = waiting;
          if (w != null) LockSupport.unpark(w);
        }
      }
    }

    private void loop(int index) {
      INSIDE.set(Boolean.FALSE); // this thread's entry made now, not in the step that first runs a chunk here
      int seen = 0;
      while (true) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while ((int) (ticket.get() >>> 32) == seen && !stopped) {
          if (System.nanoTime() < deadline) {
            Thread.onSpinWait();
            continue;
          }
          synchronized (this) {
            parked[index] = true;
          }
          if ((int) (ticket.get() >>> 32) == seen && !stopped) LockSupport.park(this);
          synchronized (this) {
            parked[index] = false;
          }
        }
        if (stopped) return;
        seen = (int) (ticket.get() >>> 32);
        work(seen);
      }
    }

    void shutdown() {
      stopped = true;
      for (Thread t : threads) LockSupport.unpark(t);
    }
  }
}
