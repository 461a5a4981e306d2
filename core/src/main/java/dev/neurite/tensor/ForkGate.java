package dev.neurite.tensor;

/**
 * Decides, from measured time, whether parallel jobs are handed to the worker threads or run on the
 * calling thread alone. Either way each chunk runs the same code, so results never change; only
 * the speed does.
 *
 * <p>Forking pays when the cores are really there. On a small cloud VM they may not be: two vCPUs
 * can share one physical core, or one of them can be descheduled for milliseconds while it holds a
 * chunk the caller must wait for. On such a machine (the one {@code docs/performance.md} was
 * measured on) many short jobs, such as an MLP's GEMMs, ran up to a third slower with two threads
 * than with one, while the CNN's longer jobs still gained. The gate notices and stops forking until a
 * later probe shows that forking pays again.
 *
 * <p>Time is measured in windows of {@code window} jobs, from the start of a window's first job to
 * the end of its last: the code between jobs counts too, since a worker spinning for the next job
 * can slow the caller's own work when the two vCPUs share a core. After {@code interval} windows
 * in its settled mode the gate runs one window the other way and compares it with the window before:
 * if the probe was more than {@link #MARGIN} faster, it switches and the interval drops back to its
 * minimum; otherwise the interval doubles, up to its maximum, so a settled machine rarely pays for
 * a probe. The windows are long enough (about a hundred training steps) to hold the same mix of jobs.
 *
 * <p>Not thread-safe: used by the thread that holds the workers' lock.
 */
final class ForkGate {
  /** A probe must beat the window before it by this fraction to switch modes: smaller differences are noise. */
  static final double MARGIN = 0.05;

  private final int window;
  private final int minInterval;
  private final int maxInterval;

  private boolean forking = true; // the mode settled on
  private boolean probing; // the current window runs the other way
  private int interval;
  private int windowsLeft; // settled windows until the next probe
  private int jobs; // in the current window
  private long windowStart; // System.nanoTime() at the start of the current window's first job
  private long settledNanos; // of the last settled window

  ForkGate(int window, int minInterval, int maxInterval) {
    if (window < 1 || minInterval < 1 || maxInterval < minInterval) {
      throw new IllegalArgumentException("window " + window + ", intervals " + minInterval + ".." + maxInterval);
    }
    this.window = window;
    this.minInterval = minInterval;
    this.maxInterval = maxInterval;
    this.interval = minInterval;
    this.windowsLeft = minInterval;
  }

  /** Whether the next job should be handed to the workers. */
  boolean fork() {
    return forking != probing;
  }

  /** Records a job run as {@link #fork()} said, from its start to its end ({@link System#nanoTime()}). */
  void record(long start, long end) {
    if (jobs == 0) windowStart = start;
    if (++jobs < window) return;
    long total = end - windowStart;
    jobs = 0;
    if (probing) {
      probing = false;
      if (total < settledNanos * (1 - MARGIN)) {
        forking = !forking;
        settledNanos = total;
        interval = minInterval;
      } else {
        interval = Math.min(maxInterval, interval * 2);
      }
      windowsLeft = interval;
    } else {
      settledNanos = total;
      if (--windowsLeft <= 0) probing = true;
    }
  }
}
