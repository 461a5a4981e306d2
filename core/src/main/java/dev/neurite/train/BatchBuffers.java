package dev.neurite.train;

import dev.neurite.spi.Dataset;
import dev.neurite.tensor.Tensor;

/**
 * Gathers rows of a dataset into batch tensors that are allocated once (one pair for full
 * batches, one for the last, shorter batch) and reused.
 */
final class BatchBuffers {
  record Batch(Tensor features, Tensor targets) {}

  private final Dataset data;
  private final int batchSize;
  private Batch full;
  private Batch tail;

  BatchBuffers(Dataset data, int batchSize) {
    this.data = data;
    this.batchSize = Math.min(batchSize, Math.max(1, data.size()));
  }

  int batchSize() {
    return batchSize;
  }

  /** Rows {@code order[from..to)} copied into a reused batch. */
  Batch gather(int[] order, int from, int to) {
    int n = to - from;
    Batch b;
    if (n == batchSize) {
      if (full == null) full = allocate(n);
      b = full;
    } else {
      if (tail == null || tail.features().rows() != n) tail = allocate(n);
      b = tail;
    }
    copyRows(data.features(), b.features(), order, from, n);
    copyRows(data.targets(), b.targets(), order, from, n);
    return b;
  }

  private Batch allocate(int n) {
    return new Batch(Tensor.zeros(data.sampleShape().prepend(n)), Tensor.zeros(data.targetShape().prepend(n)));
  }

  private static void copyRows(Tensor src, Tensor dst, int[] order, int from, int n) {
    int w = src.rowSize();
    for (int i = 0; i < n; i++) System.arraycopy(src.data(), order[from + i] * w, dst.data(), i * w, w);
  }
}
