package dev.neurite.standard.optimizers;

import dev.neurite.tensor.Parallel;

/**
 * Runs an optimizer's elementwise update of one param over the kernel threads, in blocks: each
 * element's update reads only that element, so any split gives the same bits. Made once per
 * optimizer around a method reference, so a step creates no object.
 */
final class ElementwiseUpdate {
  /** Updates elements {@code [from, to)} of the param at hand. */
  interface Body {
    void update(int from, int to);
  }

  /** Elements per unit of work when threads split an update. */
  static final int BLOCK = 16_384;

  private final Body body;
  private int length;
  private final Parallel.RangeBody blocks = (fromBlock, toBlock) -> update(fromBlock, toBlock);

  ElementwiseUpdate(Body body) {
    this.body = body;
  }

  /** Runs the body over {@code [0, length)}, split across the threads when it is long enough. */
  void over(int length) {
    this.length = length;
    Parallel.forRanges((length + BLOCK - 1) / BLOCK, blocks);
  }

  private void update(int fromBlock, int toBlock) {
    body.update(fromBlock * BLOCK, Math.min(length, toBlock * BLOCK));
  }
}
