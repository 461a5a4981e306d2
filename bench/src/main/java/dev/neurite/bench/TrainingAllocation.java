package dev.neurite.bench;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.tensor.Parallel;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./neurite bench alloc CONFIG [--set KEY=VALUE]... [--threads T]}: trains a config through the
 * whole pipeline (the loader and its prefetch thread, model, loss, regularizers, clipping, schedule,
 * optimizer, metrics) and prints, per epoch, the bytes the training, kernel and prefetch threads
 * allocated per batch, read from the JVM's per-thread counters after each batch. Batches 3 to n - 1
 * of each epoch count: the first full batch after an epoch's shorter last one, and the last, switch
 * buffers. Nothing is written to disk.
 */
public final class TrainingAllocation {
  private TrainingAllocation() {}

  private static final String USAGE = "usage: ./neurite bench alloc CONFIG [--set KEY=VALUE]... [--threads T]";

  public static void main(String[] args) {
    Path config = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      boolean valueFollows = i + 1 < args.length;
      if (args[i].equals("--set") && valueFollows) {
        overrides.add(args[++i]);
      } else if (args[i].equals("--threads") && valueFollows && args[i + 1].matches("[1-9][0-9]*")) {
        Parallel.setThreads(Integer.parseInt(args[++i]));
      } else if (config == null && !args[i].startsWith("-")) {
        config = Path.of(args[i]);
      } else {
        fail(USAGE + "; unexpected argument " + args[i]);
      }
    }
    if (config == null) fail(USAGE);
    ComponentRegistry registry = ComponentRegistry.discover(TrainingAllocation.class.getClassLoader());
    Experiment experiment;
    try {
      experiment = Experiment.prepare(new ExperimentLoader(registry).load(List.of(config), overrides, System::getenv));
    } catch (RuntimeException e) { // the config's errors, each with its file, line and column
      fail(e.getMessage());
      return;
    }
    System.out.printf(Locale.ROOT, "# neurite alloc config=%s threads=%d java=%s%n", config, Parallel.threads(),
        System.getProperty("java.version"));

    Counter counter = new Counter();
    new Trainer(experiment).fit(List.of(counter));
    int lastCounted = -1;
    for (int e = 0; e < counter.epochs; e++) {
      long n = counter.batches[e];
      if (n == 0) continue; // stopped early, or too few batches an epoch to count any
      lastCounted = e;
      StringBuilder which = new StringBuilder();
      for (int i = 0; i < Counter.SHOWN && i < n - counter.clean[e]; i++) {
        which.append(i == 0 ? "; batch " : ", ").append(counter.allocating[e][2 * i]).append(": ").append(counter.allocating[e][2 * i + 1]).append(" B");
      }
      System.out.printf(Locale.ROOT, "epoch %d: %.1f bytes per batch (%d of %d batches allocated nothing%s)%n",
          e + 1, (double) counter.bytes[e] / n, counter.clean[e], n, which);
    }
    if (lastCounted < 0) fail(config + ": an epoch needs 4 or more batches for one to count (batches 3 to n - 1)");
    // the last epoch: the earlier ones include the JIT's warm-up (Vector API code runs boxed until compiled)
    System.out.printf(Locale.ROOT, "RESULT neurite alloc config=%s epoch=%d bytes_per_batch=%.1f batches_allocating_nothing=%d/%d%n",
        config.getFileName(), lastCounted + 1, (double) counter.bytes[lastCounted] / counter.batches[lastCounted],
        counter.clean[lastCounted], counter.batches[lastCounted]);
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }

  /** Bytes per batch, epoch by epoch (arrays made up front: counting allocates nothing). */
  private static final class Counter implements TrainingListener {
    private static final int SHOWN = 4;
    private final TrainingBench.AllocationCounter allocation = new TrainingBench.AllocationCounter("neurite-");
    private long[] bytes = new long[0];
    private long[] batches = new long[0];
    private long[] clean = new long[0];
    /** The first few batches of each epoch that allocated, and how much: {@code [epoch][2 i]} batch, {@code [2 i + 1]} bytes. */
    private long[][] allocating = new long[0][];
    private int epochs;
    private int batchesPerEpoch;
    private long last;

    @Override
    public void onStart(int epochs, int batchesPerEpoch, int rowsPerEpoch) {
      this.epochs = epochs;
      this.batchesPerEpoch = batchesPerEpoch;
      bytes = new long[epochs];
      batches = new long[epochs];
      clean = new long[epochs];
      allocating = new long[epochs][2 * SHOWN];
    }

    @Override
    public void onBatch(int epoch, int batch, double meanLoss) {
      long now = allocation.bytes();
      if (batch >= 3 && batch < batchesPerEpoch) {
        long d = now - last;
        bytes[epoch - 1] += d;
        batches[epoch - 1]++;
        if (d == 0) {
          clean[epoch - 1]++;
        } else if (batches[epoch - 1] - clean[epoch - 1] <= SHOWN) {
          int i = (int) (batches[epoch - 1] - clean[epoch - 1] - 1);
          allocating[epoch - 1][2 * i] = batch;
          allocating[epoch - 1][2 * i + 1] = d;
        }
      }
      last = allocation.bytes();
    }
  }
}
