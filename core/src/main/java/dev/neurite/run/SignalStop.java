package dev.neurite.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGINT and SIGTERM during a run: the JVM runs a shutdown hook and exits when it returns. The hook
 * asks the training loop to stop after the current batch (where a checkpoint is written) and waits,
 * up to 10 minutes, until the run has written what it will write. Installed before the run directory
 * is created, so a signal at any moment leaves a run that {@code resume} can continue. It then waits
 * (up to 5 seconds) for the command to report how the run ended ({@link #reported}), so the message
 * naming the checkpoint and the resume command reaches the terminal before the JVM exits.
 */
final class SignalStop implements AutoCloseable {
  /** Counted down by the command line once it has printed its last words. */
  private static final CountDownLatch REPORTED = new CountDownLatch(1);

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch settled = new CountDownLatch(1);
  private final Thread hook;

  private SignalStop() {
    hook = new Thread(() -> {
      requested.set(true);
      try {
        settled.await(10, TimeUnit.MINUTES);
        REPORTED.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "neurite-checkpoint-on-signal");
  }

  static SignalStop install() {
    SignalStop s = new SignalStop();
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** The command has printed how it ended: a signal's shutdown need not wait for it any longer. */
  static void reported() {
    REPORTED.countDown();
  }

  /** Whether a signal asked the run to stop. */
  boolean requested() {
    return requested.get();
  }

  /** The run has written all it will write (a checkpoint, the manifest, the summary): a waiting hook lets the JVM exit. */
  void settle() {
    settled.countDown();
  }

  @Override
  public void close() {
    settle();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting: the hook is running and no longer waits
    }
  }
}
