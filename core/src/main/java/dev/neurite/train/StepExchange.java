package dev.neurite.train;

import java.util.List;

/**
 * The processes of a data-parallel run swapping what each computed of a step: the trainer of every process
 * computes the gradient groups in {@link #first()}..{@link #end()} of each batch and sends its {@link Share};
 * every process receives every share, in group order, and takes the same step with the same bytes.
 * Implemented by an engine (the spark engine over Spark's barrier tasks); one process with every group needs none.
 */
public interface StepExchange {
  /** The first of this process's gradient groups. */
  int first();

  /** One past this process's last gradient group. */
  int end();

  /**
   * What one process computed of step {@code step}: the sum of its groups' weighted gradients (added in the
   * groups' tree, all trained params one after another), each group's loss, and each group's outputs (row after row).
   */
  record Share(long step, int first, int end, float[] gradient, double[] losses, float[] outputs) {}

  /**
   * Whether {@code workers} processes, worker r holding groups {@code r G / W} to {@code (r + 1) G / W - 1}, each hold a
   * node of the gradient groups' tree, as a data-parallel run needs: always so when W is a power of two dividing G.
   */
  static boolean splits(int workers, int groups) {
    if (workers < 1 || workers > groups) return false;
    for (int r = 0; r < workers; r++) {
      if (!GradientGroups.isNode((int) ((long) r * groups / workers), (int) ((long) (r + 1) * groups / workers), groups)) return false;
    }
    return true;
  }

  /**
   * Sends this process's share of the step and returns every process's, ordered by their first group. The trainer
   * reuses the arrays of {@code mine} in its next step: a share must be sent (or copied) before this returns.
   */
  List<Share> exchange(Share mine);
}
