package dev.neurite.train;

import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

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
  /** The tree's inner nodes, made on first use, by heap index (the root 1, node i's halves 2i and 2i + 1). */
  private final float[][] nodes;
  /**
   * Slices of the batch by number of rows, [features, targets][rows]: groups of one size share one buffer, so a
   * layer sees the same input tensor in every group (as it does batch after batch without groups).
   */
  private final Tensor[][] slices = new Tensor[2][0];
  /** Each group's outputs and loss in the current batch: computed here, or received from the process that computed them. */
  private final Tensor[] outputs;
  private final double[] losses;

  GradientGroups(int groups, List<Param> trained, List<RandomStream> streams) {
    this.groups = groups;
    this.trained = trained;
    int n = 0;
    for (Param p : trained) n += p.grad().size();
    this.size = n;
    this.streams = streams.toArray(RandomStream[]::new);
    this.batchStart = new long[this.streams.length];
    this.leaves = new float[groups][];
    this.nodes = new float[4 * groups][];
    this.outputs = new Tensor[groups];
    this.losses = new double[groups];
  }

  int groups() {
    return groups;
  }

  /** The first row of group {@code g} of a batch of {@code n} rows (g = G gives n). */
  static int start(int g, int n, int groups) {
    return (int) ((long) g * n / groups);
  }

  /** Rows of group {@code g} in a batch of {@code n}. */
  int rows(int g, int n) {
    return start(g + 1, n, groups) - start(g, n, groups);
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

  /** Group {@code g}'s rows of {@code batch} (which: 0 features, 1 targets), of a batch of {@code batch.rows()}. */
  Tensor slice(Tensor batch, int g, int which) {
    int n = batch.rows();
    int from = start(g, n, groups);
    int rows = rows(g, n);
    if (slices[which].length <= rows) slices[which] = Arrays.copyOf(slices[which], rows + 1);
    Tensor t = slices[which][rows];
    if (t == null || t.rowSize() != batch.rowSize()) {
      t = slices[which][rows] = Tensor.zeros(batch.shape().dropFirst().prepend(rows));
    }
    int w = batch.rowSize();
    System.arraycopy(batch.data(), from * w, t.data(), 0, rows * w);
    return t;
  }

  /** Keeps group {@code g}'s outputs (copied: the model reuses its buffer) and loss. */
  void keep(int g, Tensor output, double loss) {
    Tensor t = outputs[g];
    if (t == null || !t.shape().equals(output.shape())) t = outputs[g] = Tensor.zeros(output.shape());
    System.arraycopy(output.data(), 0, t.data(), 0, t.size());
    losses[g] = loss;
  }

  /** Group {@code g} has no row in this batch (a last batch shorter than the groups): no loss, no outputs. */
  void keepNothing(int g) {
    losses[g] = 0;
  }

  Tensor output(int g) {
    return outputs[g];
  }

  double loss(int g) {
    return losses[g];
  }

  /** Keeps the params' gradients, times {@code share}, as group {@code g}'s leaf. */
  void keepLeaf(int g, float share) {
    float[] leaf = leaves[g];
    if (leaf == null) leaf = leaves[g] = new float[size];
    int at = 0;
    for (int p = 0; p < trained.size(); p++) { // indexed: a for-each makes an iterator per call
      float[] grad = trained.get(p).grad().data();
      for (int i = 0; i < grad.length; i++) leaf[at + i] = grad[i] * share;
      at += grad.length;
    }
  }

  /** This process's share of step {@code step}: groups [lo, hi), the sum of their leaves (a node of the tree), losses and outputs. */
  StepExchange.Share share(long step, int lo, int hi, int n) {
    double[] l = new double[hi - lo];
    int width = 0;
    for (int g = lo; g < hi; g++) {
      l[g - lo] = losses[g];
      if (rows(g, n) > 0) width += outputs[g].size();
    }
    float[] out = new float[width];
    int at = 0;
    for (int g = lo; g < hi; g++) {
      if (rows(g, n) == 0) continue;
      System.arraycopy(outputs[g].data(), 0, out, at, outputs[g].size());
      at += outputs[g].size();
    }
    return new StepExchange.Share(step, lo, hi, node(lo, hi, 1, 0, groups, null), l, out);
  }

  /** Takes the other processes' groups' losses and outputs (each output row of shape {@code sample}) from their shares. */
  void receive(List<StepExchange.Share> shares, int lo, int hi, Shape sample, int n) {
    for (StepExchange.Share s : shares) {
      if (s.first() == lo && s.end() == hi) continue; // this process's own
      int at = 0;
      for (int g = s.first(); g < s.end(); g++) {
        losses[g] = s.losses()[g - s.first()];
        int rows = rows(g, n);
        if (rows == 0) continue;
        Tensor t = outputs[g];
        if (t == null || t.rows() != rows) t = outputs[g] = Tensor.zeros(sample.prepend(rows));
        System.arraycopy(s.outputs(), at, t.data(), 0, t.size());
        at += t.size();
      }
    }
  }

  /**
   * The sum over all groups written into the params' gradients: from this process's leaves, or ({@code shares} not
   * null) from the processes' node sums.
   */
  void combineInto(List<StepExchange.Share> shares) {
    float[] sum = node(0, groups, 1, 0, groups, shares);
    int at = 0;
    for (int p = 0; p < trained.size(); p++) {
      float[] grad = trained.get(p).grad().data();
      System.arraycopy(sum, at, grad, 0, grad.length);
      at += grad.length;
    }
  }

  /**
   * The sum over groups [lo, hi), node {@code index} of the tree whose range is [a, b): a share's sum when one holds
   * exactly that range, a leaf, or its halves' sum. {@code lo, hi} is the range asked for; the walk goes down to it.
   */
  private float[] node(int lo, int hi, int index, int a, int b, List<StepExchange.Share> shares) {
    int mid = a + (b - a) / 2;
    if (a != lo || b != hi) return hi <= mid ? node(lo, hi, 2 * index, a, mid, shares) : node(lo, hi, 2 * index + 1, mid, b, shares);
    if (shares != null) {
      for (int s = 0; s < shares.size(); s++) if (shares.get(s).first() == lo && shares.get(s).end() == hi) return shares.get(s).gradient();
    } else if (hi - lo == 1) {
      return leaves[lo];
    }
    if (hi - lo == 1) throw new IllegalStateException("no process computed gradient group " + lo);
    float[] x = node(lo, mid, 2 * index, lo, mid, shares);
    float[] y = node(mid, hi, 2 * index + 1, mid, hi, shares);
    float[] out = nodes[index];
    if (out == null) out = nodes[index] = new float[size];
    for (int i = 0; i < size; i++) out[i] = x[i] + y[i];
    return out;
  }
}
