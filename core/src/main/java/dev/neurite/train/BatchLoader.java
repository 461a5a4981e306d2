package dev.neurite.train;

import dev.neurite.spi.Augmentation;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Gathers the rows of an epoch, in a given order, into batch tensors and augments them. The
 * tensors are allocated once per slot and reused.
 *
 * <p>With prefetch, one background thread prepares the next batch while the current one trains.
 * It fills the batches in exactly the order the caller takes them, and it is the only thread
 * that reads the dataset and draws from the augmentations' random streams, so the results are
 * bit-identical with and without prefetch.
 *
 * <p>The data cursor: after each batch is filled, the states of the augmentations' random streams
 * are recorded with it, so that a checkpoint taken after batch {@code b} can save the streams as
 * they were before batch {@code b + 1}, even when the prefetch thread has already drawn from them
 * for that batch. {@link #start(int[], int, int)} continues an epoch from such a cursor.
 */
final class BatchLoader implements AutoCloseable {
  record Batch(Tensor features, Tensor targets) {}

  /** A pair of buffers: one for full batches, one for the shorter last batch. */
  private final class Slot {
    Batch full;
    Batch tail;
    Batch current;
    long[] streamsAfter;
  }

  private static final Object EPOCH = new Object();

  private final Dataset data;
  private final int batchSize;
  private final List<Augmentation> augment;
  private final List<RandomStream> streams;
  private final int[] order;
  private int rows;
  private int firstBatch;
  private int nextBatch;
  private int batches;
  private Slot last;

  // prefetch only
  private final Thread worker;
  private final BlockingQueue<Object> epochs = new ArrayBlockingQueue<>(1);
  // slots go round between the two threads in queues whose waits create no object (a batch creates none)
  private final Handoff<Slot> free = new Handoff<>(2);
  private final Handoff<Slot> ready = new Handoff<>(2);
  private volatile Throwable failure;
  private Slot inUse;
  private final Slot direct;

  /** For evaluation: no augmentation, no prefetch. */
  BatchLoader(Dataset data, int batchSize) {
    this(data, batchSize, List.of(), List.of(), false);
  }

  /** {@code streams} are the random streams the augmentations draw from (their states make the data cursor). */
  BatchLoader(Dataset data, int batchSize, List<Augmentation> augment, List<RandomStream> streams, boolean prefetch) {
    this.data = data;
    this.batchSize = Math.min(batchSize, Math.max(1, data.size()));
    this.augment = List.copyOf(augment);
    this.streams = List.copyOf(streams);
    this.order = new int[data.size()];
    if (prefetch) {
      release(new Slot());
      release(new Slot());
      direct = null;
      worker = new Thread(this::produce, "neurite-prefetch");
      worker.setDaemon(true);
      worker.start();
    } else {
      direct = new Slot();
      worker = null;
    }
  }

  int batchSize() {
    return batchSize;
  }

  /** Starts an epoch over {@code order[0..rows)}; its batches are then taken with {@link #next}. */
  void start(int[] epochOrder, int rows) {
    start(epochOrder, rows, 0);
  }

  /**
   * Starts an epoch at batch {@code first} (a resumed data cursor: the augmentations' streams must
   * be in the states {@link #streamStates()} returned after batch {@code first - 1}).
   */
  void start(int[] epochOrder, int rows, int first) {
    release();
    last = null;
    System.arraycopy(epochOrder, 0, order, 0, rows);
    this.rows = rows;
    this.batches = (rows + batchSize - 1) / batchSize;
    if (first < 0 || first > batches) throw new IllegalArgumentException("batch " + first + " is outside the epoch's " + batches);
    this.firstBatch = first;
    this.nextBatch = first;
    if (worker != null) epochs.add(EPOCH);
  }

  /**
   * The augmentations' stream states right after the batch last returned by {@link #next} was
   * filled, i.e. those the next batch starts from (whatever the prefetch thread has drawn since).
   */
  long[] streamStates() {
    if (last == null) throw new IllegalStateException("no batch has been taken in this epoch");
    return last.streamsAfter.clone();
  }

  /** The next batch of the epoch; valid until the next call. */
  Batch next() {
    if (nextBatch >= batches) throw new IllegalStateException("the epoch has only " + batches + " batches");
    int b = nextBatch++;
    if (worker == null) {
      fill(direct, b);
      last = direct;
      return direct.current;
    }
    release();
    try {
      Slot s = ready.take();
      if (s == null || failure != null) throw rethrow();
      inUse = s;
      last = s;
      return s.current;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    }
  }

  private void release() {
    if (inUse != null) {
      release(inUse);
      inUse = null;
    }
  }

  /** Hands a slot to the prefetch thread; never waits, as only two slots exist. */
  private void release(Slot s) {
    try {
      free.put(s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing back a batch", e);
    }
  }

  private void produce() {
    try {
      while (true) {
        epochs.take();
        int n = batches;
        for (int b = firstBatch; b < n; b++) {
          Slot s = free.take();
          fill(s, b);
          ready.put(s);
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable t) {
      failure = t;
      try {
        ready.put(new Slot()); // wakes the consumer, which sees the failure (there is room: this thread held a slot)
      } catch (InterruptedException e) {
        // closed
      }
    }
  }

  private RuntimeException rethrow() {
    Throwable t = failure;
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException("the prefetch thread failed: " + t, t);
  }

  private Batch fill(Slot s, int b) {
    int from = b * batchSize;
    int n = Math.min(rows, from + batchSize) - from;
    Batch batch;
    if (n == batchSize) {
      if (s.full == null) s.full = allocate(n);
      batch = s.full;
    } else {
      if (s.tail == null || s.tail.features().rows() != n) s.tail = allocate(n);
      batch = s.tail;
    }
    float[] x = batch.features().data();
    float[] y = batch.targets().data();
    int w = batch.features().rowSize();
    int t = batch.targets().rowSize();
    for (int i = 0; i < n; i++) data.read(order[from + i], x, i * w, y, i * t);
    for (int i = 0; i < augment.size(); i++) augment.get(i).apply(batch.features());
    if (s.streamsAfter == null) s.streamsAfter = new long[streams.size()];
    for (int i = 0; i < streams.size(); i++) s.streamsAfter[i] = streams.get(i).state();
    s.current = batch;
    return batch;
  }

  private Batch allocate(int n) {
    return new Batch(Tensor.zeros(data.sampleShape().prepend(n)), Tensor.zeros(data.targetShape().prepend(n)));
  }

  @Override
  public void close() {
    if (worker != null) worker.interrupt();
  }
}
