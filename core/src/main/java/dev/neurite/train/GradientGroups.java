package dev.neurite.train;

import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code training.gradient_groups}: a batch's rows in G contiguous groups (group g holds rows
 * {@code g n / G} to {@code (g + 1) n / G}), each group's forward and backward pass run on its own, its
 * gradient scaled by its share of the rows ({@code n_g / n}), and the groups' gradients added in a fixed
 * binary tree: a range of groups is the sum of its left half and its right half. A data-parallel worker
 * holding a range that is a node of this tree computes that node alone, so the sum is the same bytes
 * whether one process computes every group or W processes each compute G / W of them.
 *
 * <p>Random draws inside the step (dropout masks) come, for group g, from each component's stream set to a
 * state derived from its state at the batch's start and g; after the batch every stream moves to the state
 * derived for g = G. So a worker can compute group g without drawing the groups before it.
 */
final class GradientGroups {
  private final int groups;
  private final List<Param> trained;
  private final int size;
  private final RandomStream[] streams;
  private final long[] batchStart;
  /** This process's leaves, by group. */
  private final float[][] leaves;
  /** The tree's inner nodes, by (lo, hi), made on first use. */
  private final Map<Long, float[]> nodes = new HashMap<>();
  /** Slices of the batch by group size: [features, targets]. */
  private final Map<Integer, Tensor[]> slices = new HashMap<>();

  GradientGroups(int groups, List<Param> trained, List<RandomStream> streams) {
    this.groups = groups;
    this.trained = trained;
    int n = 0;
    for (Param p : trained) n += p.grad().size();
    this.size = n;
    this.streams = streams.toArray(RandomStream[]::new);
    this.batchStart = new long[this.streams.length];
    this.leaves = new float[groups][];
  }

  int groups() {
    return groups;
  }

  /** The first row of group {@code g} of a batch of {@code n} rows (g = G gives n). */
  static int start(int g, int n, int groups) {
    return (int) ((long) g * n / groups);
  }

  /** Whether groups [lo, hi) form a node of the tree over [0, groups), so that a worker can hold it. */
  static boolean isNode(int lo, int hi, int groups) {
    int a = 0;
    int b = groups;
    while (true) {
      if (a == lo && b == hi) return true;
      if (b - a == 1) return false;
      int mid = a + (b - a) / 2;
      if (hi <= mid) {
        b = mid;
      } else if (lo >= mid) {
        a = mid;
      } else {
        return false;
      }
    }
  }

  /** Records every stream's state at the batch's start. */
  void startBatch() {
    for (int s = 0; s < streams.length; s++) batchStart[s] = streams[s].state();
  }

  /** Sets every stream for group {@code g} (g = G: the state the next batch starts from). */
  void streamsFor(int g) {
    for (int s = 0; s < streams.length; s++) streams[s].restore(groupState(batchStart[s], g));
  }

  static long groupState(long base, int g) {
    long z = base + 0x9E3779B97F4A7C15L * (g + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Rows [from, to) of {@code batch} in a reused tensor. */
  Tensor slice(Tensor batch, int from, int to, int which) {
    int rows = to - from;
    Tensor[] pair = slices.computeIfAbsent(rows, r -> new Tensor[2]);
    Shape shape = batch.shape().dropFirst().prepend(rows);
    if (pair[which] == null || !pair[which].shape().equals(shape)) pair[which] = Tensor.zeros(shape);
    int w = batch.rowSize();
    System.arraycopy(batch.data(), from * w, pair[which].data(), 0, rows * w);
    return pair[which];
  }

  /** Keeps the params' gradients, times {@code share}, as group {@code g}'s leaf. */
  void keepLeaf(int g, float share) {
    float[] leaf = leaves[g];
    if (leaf == null) leaf = leaves[g] = new float[size];
    int at = 0;
    for (Param p : trained) {
      float[] grad = p.grad().data();
      for (int i = 0; i < grad.length; i++) leaf[at + i] = grad[i] * share;
      at += grad.length;
    }
  }

  /** The sum over this process's groups [lo, hi) (a node of the tree). */
  float[] partial(int lo, int hi) {
    return node(lo, hi, null);
  }

  /** The sum over all groups, from the processes' partials (each a node), written into the params' gradients. */
  void combineInto(List<StepExchange.Share> shares) {
    float[] sum = node(0, groups, shares);
    int at = 0;
    for (Param p : trained) {
      float[] grad = p.grad().data();
      System.arraycopy(sum, at, grad, 0, grad.length);
      at += grad.length;
    }
  }

  private float[] node(int lo, int hi, List<StepExchange.Share> shares) {
    if (shares != null) {
      for (StepExchange.Share s : shares) if (s.first() == lo && s.end() == hi) return s.gradient();
    } else if (hi - lo == 1) {
      return leaves[lo];
    }
    if (hi - lo == 1) throw new IllegalStateException("no process computed gradient group " + lo);
    int mid = lo + (hi - lo) / 2;
    float[] a = node(lo, mid, shares);
    float[] b = node(mid, hi, shares);
    float[] out = nodes.computeIfAbsent((long) lo << 32 | hi, k -> new float[size]);
    for (int i = 0; i < size; i++) out[i] = a[i] + b[i];
    return out;
  }
}
