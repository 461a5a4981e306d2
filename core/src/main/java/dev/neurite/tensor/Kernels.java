package dev.neurite.tensor;

import java.util.Arrays;

/**
 * The numerical kernels the layers are written with. Every sum runs in a fixed order, so results
 * are bit-identical from run to run, whatever the kernel (Vector API or plain loops) and the
 * number of threads.
 */
public final class Kernels {
  /** The fastest kernel this JVM can run: the Vector API when its module is present, else plain loops. */
  private static final GemmKernel KERNEL = pickKernel();
  private static final GemmKernel SCALAR = new ScalarGemm();
  /** Below this many multiply-adds a GEMM stays on the calling thread. */
  private static final long PARALLEL_WORK = 1L << 16;
  /** Rows of C per unit when threads split C by rows (two whole 8-row tiles of the vector kernel). */
  private static final int ROWS = 16;
  /** C^T for {@link #gemm} when it computes C = A B^T as the transpose of B A^T. */
  private static final ThreadLocal<float[]> SWAPPED = ThreadLocal.withInitial(() -> new float[0]);
  /** Columns of C per unit when threads split C by columns (the vector kernel's strip width with 16 lanes). */
  private static final int STRIP = 32;

  private static final Elementwise ELEMENTWISE = vectorOr("dev.neurite.tensor.VectorElementwise", new Elementwise.Scalar());

  private static GemmKernel pickKernel() {
    return vectorOr("dev.neurite.tensor.VectorGemm", new ScalarGemm());
  }

  /** The Vector API implementation {@code className} when its module is present (and -Dneurite.scalar is not set), else {@code scalar}. */
  @SuppressWarnings("unchecked")
  private static <T> T vectorOr(String className, T scalar) {
    if (!Boolean.getBoolean("neurite.scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        return (T) Class.forName(className).getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // fall through to the scalar loops
      }
    }
    return scalar;
  }

  /** Elements per unit of work when threads split an elementwise kernel. */
  private static final int ELEMENTWISE_BLOCK = 16_384;

  private Kernels() {}

  /** {@code out[i] = in[i] > 0 ? in[i] : 0} (NaN gives 0), for i < len; branch-free, split between threads when long. */
  public static void relu(float[] in, float[] out, int len) {
    elementwise(false, null, in, out, len);
  }

  /** {@code gi[i] = go[i] * (x[i] > 0 ? 1 : 0)}, for i < len: ReLU's backward; branch-free, split between threads when long. */
  public static void reluGradient(float[] x, float[] go, float[] gi, int len) {
    elementwise(true, x, go, gi, len);
  }

  /**
   * {@code x[i] = 1 / (1 + exp(-x[i]))} in place for from <= i < to, on the calling thread, with a float
   * exp within 2 ulp (Cephes' expf, x clamped to [-87, 88]); the vector and the plain loops give the same
   * bits. For the recurrent cells' gates; the {@code sigmoid} layer keeps its double-precision formula.
   */
  public static void sigmoid(float[] x, int from, int to) {
    ELEMENTWISE.sigmoid(x, from, to);
  }

  /** {@code x[i] = tanh(x[i])} in place for from <= i < to, on the calling thread, in float (Cephes' tanhf), as {@link #sigmoid}. */
  public static void tanh(float[] x, int from, int to) {
    ELEMENTWISE.tanh(x, from, to);
  }

  /** The plain loops of {@link #sigmoid}, for tests. */
  static void sigmoidScalar(float[] x, int from, int to) {
    new Elementwise.Scalar().sigmoid(x, from, to);
  }

  /** The plain loops of {@link #tanh}, for tests. */
  static void tanhScalar(float[] x, int from, int to) {
    new Elementwise.Scalar().tanh(x, from, to);
  }

  /** {@link #relu} (in, out) or {@link #reluGradient} (x, in = go, out = gi), in blocks split between threads when long. */
  private static void elementwise(boolean gradient, float[] x, float[] in, float[] out, int len) {
    ElementwiseSplit split = ELEMENTWISE_SPLIT.get();
    split.set(gradient, x, in, out, len);
    try {
      if (len <= ELEMENTWISE_BLOCK) split.run(0, 1); // one block: no split
      else Parallel.forRanges((len + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK, split);
    } finally {
      split.set(false, null, null, null, 0);
    }
  }

  /** This thread's split of a long elementwise kernel (its fields are one call's arguments). */
  private static final ThreadLocal<ElementwiseSplit> ELEMENTWISE_SPLIT = ThreadLocal.withInitial(ElementwiseSplit::new);

  /** Blocks [from, to) of {@link #relu} (in, out) or {@link #reluGradient} (x, in = go, out = gi). */
  private static final class ElementwiseSplit implements Parallel.RangeBody {
    private boolean gradient;
    private float[] x, in, out;
    private int len;

    void set(boolean gradient, float[] x, float[] in, float[] out, int len) {
      this.gradient = gradient;
      this.x = x;
      this.in = in;
      this.out = out;
      this.len = len;
    }

    @Override
    public void run(int from, int to) {
      int start = from * ELEMENTWISE_BLOCK;
      int end = Math.min(len, to * ELEMENTWISE_BLOCK);
      if (gradient) ELEMENTWISE.reluGradient(x, in, out, start, end);
      else ELEMENTWISE.relu(in, out, start, end);
    }
  }

  /**
   * One output row of 2x2 max pooling with stride 2 and no padding: for ow < outW, the largest of the
   * window at {@code i = row + 2 ow} (in[i], in[i + 1], in[i + width], in[i + width + 1], compared in
   * that order; the first maximum wins, a NaN in the first tap stays, a later NaN never wins) into
   * out[o + ow], and the index of the tap it came from into argmax[o + ow]. Vector API code on 8 or 4
   * windows at a time (docs/performance.md, "Dense and convolution layers"); a NaN's payload is not promised.
   */
  public static void maxPool2x2(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW) {
    ELEMENTWISE.maxPool2x2(in, row, width, out, argmax, o, outW);
  }

  /** The same with plain loops, for tests. */
  static void maxPool2x2Scalar(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW) {
    new Elementwise.Scalar().maxPool2x2(in, row, width, out, argmax, o, outW);
  }

  /** The same with plain loops, for tests. */
  static void reluScalar(float[] in, float[] out, int len) {
    new Elementwise.Scalar().relu(in, out, 0, len);
  }

  static void reluGradientScalar(float[] x, float[] go, float[] gi, int len) {
    new Elementwise.Scalar().reluGradient(x, go, gi, 0, len);
  }

  /** Whether a GEMM of this many multiply-adds (m n k) is split between threads; smaller ones stay on the calling thread. */
  public static boolean splitsGemm(long multiplyAdds) {
    return multiplyAdds >= PARALLEL_WORK;
  }

  /** Which GEMM kernel runs: "vector (16 lanes, 8-row tiles)" or "scalar". */
  public static String gemmKernel() {
    return KERNEL.name();
  }

  /** How {@link #gemm} reads a matrix operand: as stored, or transposed ({@code op(X)} is X or X^T). */
  public enum Op {
    AS_IS,
    TRANSPOSED
  }

  /**
   * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C} on row-major arrays,
   * where {@code op(X)} is X or its transpose. {@code C} is m x n, {@code op(A)} is m x k and
   * {@code op(B)} is k x n. With {@code beta == 0} the old contents of C are ignored (NaNs too).
   * Every element of C is the same fused multiply-add sequence over k, in order, whatever the kernel
   * and the number of threads (for a small C with a long k, over fixed parts of k whose sums are then
   * added in order: {@link #kParts}): results are bit-identical across machines' thread counts and JVMs.
   * A dense layer's forward pass, {@code y = x W^T}, is {@code gemm(AS_IS, TRANSPOSED, ...)}.
   */
  public static void gemm(Op opA, Op opB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    gemm(opA, opB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /** {@link #gemm(Op, Op, int, int, int, float, float[], float[], float, float[])} on slices starting at the offsets. */
  public static void gemm(Op opA, Op opB, int m, int n, int k,
                          float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    gemm(KERNEL, opA == Op.TRANSPOSED, opB == Op.TRANSPOSED, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
  }

  /** The same with the scalar kernel, for tests and comparisons. */
  static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    gemm(SCALAR, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
  }

  /** The GEMM on {@code kernel} (package-private for tests that pick one). */
  static void gemm(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                   float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (c.length - (long) cOff < (long) m * n || a.length - (long) aOff < (long) m * k || b.length - (long) bOff < (long) k * n
        || aOff < 0 || bOff < 0 || cOff < 0) {
      throw new IllegalArgumentException("gemm: arrays too small for m=" + m + " n=" + n + " k=" + k);
    }
    if (!transA && transB && alpha == 1f && beta == 0f && m < n && m < k) {
      // C = A B^T with few rows (a dense layer's forward pass x W^T, the batch smaller than the
      // layer): packing B^T would gather all n k weights one by one, while C^T = B A^T reads B in place
      // and gathers only A's m k values. fma(a, b, c) = fma(b, a, c), so the bits are the same.
      float[] t = SWAPPED.get();
      if (t.length < m * n) {
        t = new float[m * n];
        SWAPPED.set(t);
      }
      gemm(kernel, false, true, n, m, k, 1f, b, bOff, a, aOff, 0f, t, 0);
      transpose(t, 0, n, m, c, cOff);
      return;
    }
    long start = Parallel.enter((long) m * n * k >= PARALLEL_WORK); // a region of the serial-fraction profile when it would split
    try {
      split(kernel, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
    } finally {
      Parallel.exit(start, Parallel.Region.GEMM);
    }
  }

  /** The GEMM, split between threads when it is large enough. */
  private static void split(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    int bRow = transB ? 1 : n;
    int bCol = transB ? k : 1;
    int aRow = transA ? 1 : k;
    int aCol = transA ? m : 1;
    int kParts = kParts(m, n, k);
    if (kParts > 1) {
      splitK(kernel, kParts, m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      return;
    }
    int threads = Parallel.running();
    long work = (long) m * n * k;
    if (threads == 1 || work < PARALLEL_WORK || Parallel.nested()) {
      kernel.block(0, m, 0, n, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      return;
    }
    // Split C into at most one block per thread: by whole 16-row blocks (two 8-row tiles), and when C has fewer of
    // those than threads by whole 32-column strips too (a grid of blocks). Blocks go to whichever thread is free first
    // (a worker that wakes late leaves its block to the caller). Every element is still computed by one thread with
    // the same multiply-adds. Row blocks rather than column strips: each block's part of C is contiguous, and on two
    // threads every GEMM of the bench MLP ran 1.05-1.30x faster so (docs/performance.md). (Twice as many blocks as
    // threads measured 5-10 % slower on the MLP step: more packing, less cache locality.)
    int rowUnits = rowUnits(m);
    int colUnits = colUnits(n);
    int rowParts = Math.min(threads, rowUnits);
    int colParts = Math.min(colUnits, threads / rowParts);
    int chunks = rowParts * colParts;
    if (Parallel.recording()) Parallel.note("GEMM " + m + "x" + n + "x" + k + ": C in " + rowParts + " x " + colParts + " blocks");
    if (chunks == 1) {
      kernel.block(0, m, 0, n, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      return;
    }
    kernel.reserve(m, Math.min(m, (rowUnits + rowParts - 1) / rowParts * ROWS), k, alpha, aRow, aCol);
    GemmSplit split = SPLIT.get();
    split.set(kernel, rowUnits, rowParts, colUnits, colParts, m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
    try {
      Parallel.forChunks(chunks, split);
    } finally {
      split.clear();
    }
  }

  /** One GEMM call's arguments, kept in a thread's split object so that forking a GEMM allocates nothing. */
  private abstract static class GemmCall {
    GemmKernel kernel;
    int m, n, k, aOff, aRow, aCol, bOff, bRow, bCol, cOff;
    float alpha, beta;
    float[] a, b, c;

    final void call(GemmKernel kernel, int m, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                    float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
      this.kernel = kernel;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.a = a;
      this.aOff = aOff;
      this.aRow = aRow;
      this.aCol = aCol;
      this.b = b;
      this.bOff = bOff;
      this.bRow = bRow;
      this.bCol = bCol;
      this.beta = beta;
      this.c = c;
      this.cOff = cOff;
    }

    /** Rows [i0, i1) by columns [j0, j1) of C, over all of k. */
    final void block(int i0, int i1, int j0, int j1) {
      kernel.block(i0, i1, j0, j1, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
    }

    void clear() { // let go of the caller's arrays
      a = b = c = null;
    }
  }

  /** Units of C's rows when threads split C by rows: 16-row blocks. */
  private static int rowUnits(int m) {
    return (m + ROWS - 1) / ROWS;
  }

  /** Units of C's columns when threads split C by columns: 32-column strips, or one unit when C is narrower than two. */
  private static int colUnits(int n) {
    return n >= 2 * STRIP ? (n + STRIP - 1) / STRIP : 1;
  }

  /** The pieces a GEMM with a small C and a long k is cut into (C's blocks times k's parts). */
  private static final int K_SPLIT_PIECES = 16;
  /** The fewest values of k in a part of a k split. */
  private static final int K_PART = 256;
  /** The least work of a piece (a block of C by a part of k), in multiply-adds: a smaller one costs about as much to hand to a thread and add up as to compute. */
  private static final long K_PIECE_WORK = 1L << 18;

  /**
   * How many parts a GEMM's k is cut into: 1, unless C has fewer than 16 blocks (16-row blocks by 32-column strips)
   * and each of its blocks has the work of two pieces at least, as in a dense layer's weight gradient with few
   * units at a large batch (10 x 128 summed over 4096 samples: 4 blocks, 4 parts); then about 16 / blocks parts,
   * each of at least 256 values of k and 2^18 multiply-adds per block. A function of the shape alone, never of the
   * threads, so the parts, and the bits, are the same on one thread and on sixty-four.
   */
  static int kParts(int m, int n, int k) {
    int blocks = rowUnits(m) * colUnits(n);
    if (blocks >= K_SPLIT_PIECES) return 1;
    long perBlock = (long) m * n * k / blocks;
    return (int) Math.max(1, Math.min(Math.min((K_SPLIT_PIECES + blocks - 1) / blocks, k / K_PART), perBlock / K_PIECE_WORK));
  }

  /**
   * C in {@code parts} parts over k: part 0 ({@code p < k / parts}) into C itself, after scaling it by beta; part t
   * into a buffer of its own from zero; then each element of C adds the parts' sums in order, c + s1 + s2 + ...
   * The parts run on whichever threads are free (one thread: one after the other), with the same bits.
   */
  private static void splitK(GemmKernel kernel, int parts, int m, int n, int k, float alpha, float[] a, int aOff, int aRow,
                             int aCol, float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
    int size = m * n;
    float[] partials = K_PARTIALS.get();
    if (partials.length < (parts - 1) * size) {
      partials = new float[(parts - 1) * size];
      K_PARTIALS.set(partials);
    }
    if (Parallel.recording() && !Parallel.nested()) Parallel.note("GEMM " + m + "x" + n + "x" + k + ": k in " + parts + " parts");
    kernel.reserve(m, m, (k + parts - 1) / parts, alpha, aRow, aCol);
    KSplit split = K_SPLIT.get();
    split.set(kernel, parts, m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff, partials);
    try {
      Parallel.forChunks(parts, split);
    } finally {
      split.clear();
    }
    for (int t = 0; t < parts - 1; t++) {
      int from = t * size;
      for (int e = 0; e < size; e++) c[cOff + e] += partials[from + e];
    }
  }

  /** The caller's buffer for a k split's parts 1 .. parts - 1, grown on the first call of a shape. */
  private static final ThreadLocal<float[]> K_PARTIALS = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<KSplit> K_SPLIT = ThreadLocal.withInitial(KSplit::new);

  /** Part t of a GEMM split over k (all parts in order when run as one chunk); its fields are one call's arguments. */
  private static final class KSplit extends GemmCall implements Parallel.ChunkBody {
    private int parts;
    private float[] partials;

    void set(GemmKernel kernel, int parts, int m, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
             float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff, float[] partials) {
      call(kernel, m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      this.parts = parts;
      this.partials = partials;
    }

    @Override
    void clear() {
      super.clear();
      partials = null;
    }

    @Override
    public void run(int chunk, int of) {
      if (of == 1) {
        for (int t = 0; t < parts; t++) part(t);
      } else {
        part(chunk);
      }
    }

    private void part(int t) {
      int p0 = (int) ((long) k * t / parts);
      int p1 = (int) ((long) k * (t + 1) / parts);
      if (t == 0) {
        kernel.block(0, m, 0, n, n, p1, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      } else {
        kernel.block(0, m, 0, n, n, p1 - p0, alpha, a, aOff + p0 * aCol, aRow, aCol, b, bOff + p0 * bRow, bRow, bCol,
            0f, partials, (t - 1) * m * n);
      }
    }
  }

  /** This thread's GEMM split (its fields are one call's arguments): forking a GEMM allocates nothing. */
  private static final ThreadLocal<GemmSplit> SPLIT = ThreadLocal.withInitial(GemmSplit::new);

  /**
   * Chunk t of a GEMM split into a grid of rowParts x colParts blocks of C, each of whole 16-row blocks by whole
   * 32-column strips (chunk t is block (t / colParts, t % colParts)); one chunk: all of C.
   */
  private static final class GemmSplit extends GemmCall implements Parallel.ChunkBody {
    private int rowUnits, rowParts, colUnits, colParts;

    void set(GemmKernel kernel, int rowUnits, int rowParts, int colUnits, int colParts, int m, int n, int k, float alpha,
             float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
      call(kernel, m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      this.rowUnits = rowUnits;
      this.rowParts = rowParts;
      this.colUnits = colUnits;
      this.colParts = colParts;
    }

    @Override
    public void run(int t, int chunks) {
      if (chunks == 1) {
        block(0, m, 0, n);
        return;
      }
      int r = t / colParts;
      int q = t % colParts;
      int i0 = edge(rowUnits, rowParts, r, m, ROWS);
      int i1 = edge(rowUnits, rowParts, r + 1, m, ROWS);
      int j0 = edge(colUnits, colParts, q, n, STRIP);
      int j1 = edge(colUnits, colParts, q + 1, n, STRIP);
      if (i0 < i1 && j0 < j1) block(i0, i1, j0, j1);
    }

    /** Where part {@code part} of {@code parts} starts along a dimension of {@code size} made of {@code units} units of {@code unit}. */
    private static int edge(int units, int parts, int part, int size, int unit) {
      return part == parts ? size : Math.min(size, units * part / parts * unit);
    }
  }

  /**
   * {@code out} (cols x rows) = the transpose of {@code in} (rows x cols, from {@code off}), in 8 x 8
   * tiles: with rows or cols a multiple of 1024, both the reads and the writes of a larger tile are
   * 4 KiB apart and map to one cache set (8 x 8: 1.4 ms for 1024 x 1024, 32 x 32: 10 ms).
   */
  static void transpose(float[] in, int off, int rows, int cols, float[] out) {
    transpose(in, off, rows, cols, out, 0);
  }

  /** The same, writing {@code out} from {@code outOff}. */
  static void transpose(float[] in, int off, int rows, int cols, float[] out, int outOff) {
    transpose(in, off, rows, cols, cols, out, outOff);
  }

  /** The same for rows {@code stride} apart in {@code in}. */
  static void transpose(float[] in, int off, int rows, int cols, int stride, float[] out, int outOff) {
    final int t = 8;
    for (int r0 = 0; r0 < rows; r0 += t) {
      int r1 = Math.min(rows, r0 + t);
      for (int c0 = 0; c0 < cols; c0 += t) {
        int c1 = Math.min(cols, c0 + t);
        for (int r = r0; r < r1; r++) {
          int src = off + r * stride;
          for (int c = c0; c < c1; c++) out[outOff + c * rows + r] = in[src + c];
        }
      }
    }
  }

  /** {@code c[off .. off+len) *= beta}, or zero-filled when beta is 0. */
  static void scaleRow(float[] c, int off, int len, float beta) {
    if (beta == 0f) {
      Arrays.fill(c, off, off + len, 0f);
    } else if (beta != 1f) {
      for (int i = off; i < off + len; i++) c[i] *= beta;
    }
  }

  /** Elements of a matrix from which {@link #addRowVector} and {@link #sumRowsInto} split between threads. */
  private static final int ROWS_WORK = 16_384;

  /** Adds {@code bias[j]} to every row of the rows x cols matrix {@code x}; split between threads by rows when large. */
  public static void addRowVector(float[] x, int rows, int cols, float[] bias) {
    bySlices(false, x, rows, cols, bias);
  }

  /**
   * {@code out[j] += sum over rows of x[i][j]}: the bias gradient, summed row by row in order; split between threads by
   * columns when large (each column's sum is the same sequence of additions on any thread).
   */
  public static void sumRowsInto(float[] x, int rows, int cols, float[] out) {
    bySlices(true, x, rows, cols, out);
  }

  private static void bySlices(boolean sums, float[] x, int rows, int cols, float[] vector) {
    if ((long) rows * cols < ROWS_WORK) {
      if (sums) ELEMENTWISE.columnSums(x, 0, rows, cols, vector, 0, cols);
      else ELEMENTWISE.addToRows(x, cols, vector, 0, rows);
      return;
    }
    RowSplit split = ROW_SPLIT.get();
    split.set(sums, x, rows, cols, vector);
    try {
      Parallel.forRanges(sums ? cols : rows, split);
    } finally {
      split.set(false, null, 0, 0, null);
    }
  }

  /** This thread's split of {@link #addRowVector} (over rows) or {@link #sumRowsInto} (over columns); its fields are one call's arguments. */
  private static final ThreadLocal<RowSplit> ROW_SPLIT = ThreadLocal.withInitial(RowSplit::new);
  /** A thread's column sums for its columns of a split {@link #sumRowsInto}. */
  private static final ThreadLocal<float[]> COLUMN_SUMS = ThreadLocal.withInitial(() -> new float[0]);

  private static final class RowSplit implements Parallel.RangeBody {
    private boolean sums;
    private float[] x, vector;
    private int rows, cols;

    void set(boolean sums, float[] x, int rows, int cols, float[] vector) {
      this.sums = sums;
      this.x = x;
      this.rows = rows;
      this.cols = cols;
      this.vector = vector;
    }

    @Override
    public void run(int from, int to) {
      if (!sums) {
        ELEMENTWISE.addToRows(x, cols, vector, from, to);
        return;
      }
      if (to - from == cols) { // all columns on one thread
        ELEMENTWISE.columnSums(x, 0, rows, cols, vector, 0, cols);
        return;
      }
      // columns [from, to) summed in a buffer of this thread's, then written back once: two threads adding every row
      // into neighbouring columns of one output share its cache line at their border (1024 x 256 on two threads
      // took 116-127 µs that way, against 49-60 µs now and 76-86 µs on one; each sum is the same sequence of additions)
      float[] columns = COLUMN_SUMS.get();
      if (columns.length < to - from) {
        columns = new float[cols];
        COLUMN_SUMS.set(columns);
      }
      System.arraycopy(vector, from, columns, 0, to - from);
      ELEMENTWISE.columnSums(x, from, rows, cols, columns, 0, to - from);
      System.arraycopy(columns, 0, vector, from, to - from);
    }
  }

  /** {@code y[i] += alpha * x[i]} for the first {@code len} elements. */
  public static void axpy(int len, float alpha, float[] x, float[] y) {
    for (int i = 0; i < len; i++) y[i] += alpha * x[i];
  }

  /**
   * The sum of {@code x[from .. from+len)}: element i goes to partial sum i mod 8, and the eight are
   * added pairwise ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). Eight independent chains run
   * at the adder's throughput instead of its latency; the order is fixed, so are the bits.
   */
  public static float sum(float[] x, int from, int len) {
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
    int i = from;
    int end = from + len;
    for (; i + 8 <= end; i += 8) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
      s4 += x[i + 4];
      s5 += x[i + 5];
      s6 += x[i + 6];
      s7 += x[i + 7];
    }
    int rest = end - i; // element i + r goes to partial sum r
    if (rest > 0) s0 += x[i];
    if (rest > 1) s1 += x[i + 1];
    if (rest > 2) s2 += x[i + 2];
    if (rest > 3) s3 += x[i + 3];
    if (rest > 4) s4 += x[i + 4];
    if (rest > 5) s5 += x[i + 5];
    if (rest > 6) s6 += x[i + 6];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** The largest of {@code x[from, from + len)} (negative infinity when empty). */
  public static float max(float[] x, int from, int len) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = from; j < from + len; j++) max = Math.max(max, x[j]);
    return max;
  }

  /**
   * {@code log(sum of exp(x[j] - shift))} over {@code x[from, from + len)}, summed in double. With
   * {@code shift} the row's {@link #max}, no exponential overflows: the row's log-sum-exp is
   * {@code shift} plus this (softmax, log_softmax and cross-entropy use it).
   */
  public static double logSumExp(float[] x, int from, int len, float shift) {
    double sum = 0;
    for (int j = from; j < from + len; j++) sum += Math.exp(x[j] - shift);
    return Math.log(sum);
  }

  /** Sum of squares, accumulated in double in index order. */
  public static double sumOfSquares(float[] x) {
    double s = 0;
    for (float v : x) s += (double) v * v;
    return s;
  }
}
