package dev.neurite.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel on the JDK's Vector API (an incubator module: the JVM needs
 * {@code --add-modules jdk.incubator.vector}, else {@link Kernels} falls back to {@link ScalarGemm}).
 * Register tiles of 5 rows by 4 vectors of C, or 8 rows (or 6, or 4) by 2 vectors, stay in registers for the
 * whole sum over p; each lane does exactly the scalar kernel's fused multiply-adds, in the same order.
 *
 * <p>The launcher keeps C2 from inlining the {@code tile*} methods (the register tiles) into their callers
 * ({@code -XX:CompileCommand=dontinline}): C2 compiles {@code block} without the branches it has not
 * seen taken, and deoptimizes it when a new shape takes one (an epoch's shorter last batch). A tile
 * inlined there would then run in C1 code, which allocates an object per vector operation, until C2
 * compiled {@code block} again; a tile compiled on its own keeps running at full speed. The call per
 * tile cost nothing measurable (docs/performance.md, "The JIT flags"). It also has C2 compile this class's
 * methods after a tenth of the usual calls ({@code CompileThresholdScaling}), so that an edge tile run
 * a few times per step does not allocate through the first epochs.
 */
final class VectorGemm implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * 8 where the 8-row tile fits in the vector registers (512-bit vectors: AVX-512's 32 registers), else
   * 6 (AVX2 has 16 registers, the 6-row tile needs 15). The tile height changes no result.
   */
  private final int tallest;

  VectorGemm() {
    this(S.vectorBitSize() >= 512 ? 8 : 6);
  }

  /** With 8-row tiles or ({@code tallest} 6) without: tests run both on any machine. */
  VectorGemm(int tallest) {
    if (tallest != 6 && tallest != 8) throw new IllegalArgumentException("tallest tile: 6 or 8 rows, not " + tallest);
    this.tallest = tallest;
  }

  @Override
  public String name() {
    return "vector (" + L + " lanes, " + tallest + "-row tiles)";
  }

  /** Rows of B per packed block: a block of one 4L-wide strip is KC * 4L floats (32 KiB with 16 lanes), within L1 (48 KiB). */
  private static final int KC = 128;

  /**
   * Whether whole strips of a transposed B are packed by gathers (a vector of L values, one from each of L stored
   * rows) rather than 8 x 8 blocks of scalar moves. On an Intel Xeon with AVX-512, alternated in one JVM, a dense
   * layer's forward product (W^T or x^T packed) ran 1.3-1.5 % faster at 1024 x 256 x 784, 5 % at 128 x 256 x 784, and
   * 8-12 % on two threads. Gathers are slow on some AVX2 machines, which keep the scalar moves.
   */
  private static final boolean GATHERS = S.vectorBitSize() >= 512;

  /** A thread's packing buffers. */
  private static final class Buffers {
    /** alpha * A's block, rows of kc values. */
    float[] panel = new float[0];
    /** One 2L- or 4L-wide strip of B's block. */
    final float[] strip = new float[KC * 4 * L];
    /** Up to 8 rows of C's last, narrower strip, zero-padded to whole vectors. */
    final float[] edge = new float[8 * 2 * L];
    /** A gather's offsets, {@code l stride} for lane l: where the lanes of a strip row of a transposed B are stored. */
    private final int[] gather = new int[L];
    private int gatherStride;

    int[] gather(int stride) {
      if (gatherStride != stride) {
        for (int l = 0; l < L; l++) gather[l] = l * stride;
        gatherStride = stride;
      }
      return gather;
    }
  }

  /** The callers' buffers (any thread that is not a kernel thread). */
  private static final ThreadLocal<Buffers> CALLER = ThreadLocal.withInitial(Buffers::new);
  /** The kernel threads' buffers, by {@link Parallel#slot()} (index 0 unused), sized by {@link #reserve} before each split GEMM. */
  private static volatile Buffers[] kernelThreads = new Buffers[0];

  /** This thread's buffers, with a panel of at least {@code rows} x KC when it packs A. */
  private static Buffers buffers(int rows, boolean packs) {
    int slot = Parallel.slot();
    Buffers b = slot == 0 ? CALLER.get() : slot < kernelThreads.length ? kernelThreads[slot] : null;
    if (b == null || packs && b.panel.length < rows * KC) b = grow(slot, rows); // a call that reserve did not see coming
    return b;
  }

  private static synchronized Buffers grow(int slot, int rows) {
    Buffers b;
    if (slot == 0) {
      b = CALLER.get();
    } else {
      Buffers[] all = kernelThreads;
      if (slot >= all.length) {
        all = java.util.Arrays.copyOf(all, slot + 1);
        kernelThreads = all;
      }
      if (all[slot] == null) all[slot] = new Buffers();
      b = all[slot];
    }
    if (b.panel.length < rows * KC) b.panel = new float[rows * KC];
    return b;
  }

  /** The rows of A a kernel thread's panel holds now (for tests), or -1 when the thread has no buffers yet. */
  static int panelRows(int slot) {
    Buffers[] all = kernelThreads;
    return slot < all.length && all[slot] != null ? all[slot].panel.length / KC : -1;
  }

  /**
   * Floats of A a block reads in place at most (rows x KC): 512 KB, half the L2 of the machines with 512-bit vectors
   * (1 MB or more per core), else 256 KB. On the bench MLP at batch 1024 (A 1024 x 784, in place from 512 KB) one
   * thread ran 8-9 % faster than packing it, side by side on an AMD EPYC with 1 MB of L2 per core.
   */
  private static final long IN_PLACE_A = S.vectorBitSize() >= 512 ? 131_072 : 65_536;

  /**
   * Rows of C a block computes at a time: taller blocks go in slices of this many rows, whose KC columns of A (read in
   * place or packed) fit the budget above; B's strips are packed again for each slice. The bench MLP at batch 4096
   * otherwise packed a 2 MB panel of A that every strip of B streamed from L3.
   */
  private static final int ROW_BLOCK = (int) (IN_PLACE_A / KC);

  /** Whether a block of {@code rows} rows reads A in place, packing no panel (see {@link #block}). */
  private static boolean readsAInPlace(int rows, int k, float alpha, int aRow, int aCol) {
    return alpha == 1f && aCol == 1 && aRow % 512 != 0 && (long) rows * Math.min(k, KC) <= IN_PLACE_A;
  }

  /**
   * Sizes the caller's buffers for all {@code m} rows (the whole GEMM, when a fork gate keeps it on the caller) and every
   * kernel thread's for {@code chunkRows}: so a kernel thread that takes its first chunk of this size in a later step, or
   * a caller that stops forking, allocates nothing then. Nothing is allocated once the largest GEMM has been seen.
   */
  @Override
  public void reserve(int m, int chunkRows, int k, float alpha, int aRow, int aCol) {
    m = Math.min(m, ROW_BLOCK); // the rows block() packs at a time
    chunkRows = Math.min(chunkRows, ROW_BLOCK);
    buffers(m, !readsAInPlace(m, k, alpha, aRow, aCol));
    boolean packs = !readsAInPlace(chunkRows, k, alpha, aRow, aCol);
    Buffers[] all = kernelThreads;
    int slots = Parallel.running();
    boolean ready = all.length >= slots;
    for (int slot = 1; ready && slot < slots; slot++) ready = all[slot] != null && (!packs || all[slot].panel.length >= chunkRows * KC);
    if (!ready) for (int slot = 1; slot < slots; slot++) grow(slot, packs ? chunkRows : 0);
  }

  @Override
  public void block(int i0, int i1, int j0, int j1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                   float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
    if (i1 - i0 > ROW_BLOCK) { // a tall block in slices of rows whose part of A stays in L2 (each element's sum is unchanged)
      for (int i = i0; i < i1; i += ROW_BLOCK) {
        block(i, Math.min(i1, i + ROW_BLOCK), j0, j1, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      }
      return;
    }
    if (tallest == 8 && aRow == 1 && aCol != 1 && i1 - i0 > 16) { // a transposed A: interleaved 8-row panels, the last rows below
      int whole = i0 + (i1 - i0) / 8 * 8;
      transposedA(i0, whole, j0, j1, n, k, alpha, a, aOff, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      if (whole < i1) block(whole, i1, j0, j1, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff);
      return;
    }
    // rows [i0, full8) go in 8-row tiles, [full8, full6) in 6-row tiles, [full6, full) in 4-row tiles,
    // the rest one by one; a 4L-wide strip takes its rows [i0, five) in 5-row tiles first (plans below)
    int full8 = i0 + 8 * eightRowTiles(i1 - i0);
    int full6 = full8 + 6 * sixRowTiles(i1 - full8);
    int full = full6 + (i1 - full6) / 4 * 4;
    // Packing, KC rows of B (and columns of A) at a time: alpha * A's block is copied into
    // a contiguous panel, and each 2L- or 4L-wide strip of B's block (read along rows, or down the columns of
    // a transposed B) into a contiguous strip that every tile reuses. Strided operands (rows 4 KiB
    // apart, as with n = 1024) would otherwise map every load to the same L1 set. C is stored between
    // blocks and reloaded, so each element still sees the same fused multiply-adds in p order: the
    // bits do not change. A's rows are read in place (rs = aRow apart) when they need no scaling, each is
    // contiguous, a block of them stays in L2 and their starts do not share L1 sets (rows a multiple
    // of 2 KiB apart: n = 2048 ran 1.7x slower in place); else from the packed panel, rows of kc
    // (rs = kc). Either way A(i, p0 + p) is as[aBase + i rs + p], aBase per block of KC below: with
    // p's stride a constant 1, C2 checks the tiles' loads of A against the array's bounds once per
    // tile instead of once per p
    boolean direct = readsAInPlace(i1 - i0, k, alpha, aRow, aCol);
    Buffers buffers = buffers(i1 - i0, !direct);
    float[] strip = buffers.strip;
    float[] panel = buffers.panel;
    float[] edge = buffers.edge;
    // B's full strips are read in place too when C has few rows (a convolution's filters): packing
    // them would cost as much as the tiles' own reads, with only a tile or two to reuse the strip.
    // Not when B's rows are a multiple of 2 KiB apart (they would share L1 sets, as A's above).
    boolean directB = bCol == 1 && i1 - i0 <= 16 && bRow % 512 != 0;
    int five = directB ? i0 : i0 + 5 * fiveRowTiles(i1 - i0);
    int wideEnd = five > i0 ? j0 + (j1 - j0) / (4 * L) * (4 * L) : j0; // C's columns [j0, wideEnd) of rows [i0, five) go in 5-row tiles
    // C's rows scaled first (the same IEEE multiply per element), so the tiles always just load C:
    // branch-free tiles are what JDK 17's C2 needs to keep the Vector API intrinsics. With beta 0 the
    // 5-row tiles load their first block's C from zeros instead, which spares a pass over C
    boolean fromZeros = beta == 0f && k > 0;
    for (int i = i0; i < i1; i++) {
      int from = fromZeros && i < five ? wideEnd : j0;
      Kernels.scaleRow(c, cOff + i * n + from, j1 - from, beta);
    }
    float[] as = direct ? a : panel;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      int rs = direct ? aRow : kc;
      int aBase = direct ? aOff + p0 : -i0 * kc; // A(i, p0 + p) is as[aBase + i rs + p]
      int aRaw = aOff + p0 * aCol; // where the single rows read A (unscaled)
      if (!direct) { // all rows, 8 at a time: a row's place in the panel does not depend on its tile
        for (int i = i0; i < i1; i += 8) packPanel(a, aOff + i * aRow + p0 * aCol, aRow, aCol, alpha, kc, Math.min(8, i1 - i), panel, (i - i0) * kc);
      }
      int j = j0;
      if (five > i0) { // 4L-wide strips: rows [i0, five) in 5-row tiles, the rest in 2-wide tiles on each half
        for (; j1 - j >= 4 * L; j += 4 * L) {
          packStrip(b, bOff, bRow, bCol, p0, kc, j, 4 * L, 4 * L, buffers);
          boolean zeros = fromZeros && p0 == 0;
          for (int i = i0; i < five; i += 5) {
            int c0 = cOff + i * n + j;
            tile5x4(c, c0, n, zeros ? ZEROS : c, zeros ? 0 : c0, zeros ? 4 * L : n, kc, as, aBase + i * rs, rs, strip);
          }
          for (int half = 0; half < 4 * L; half += 2 * L) {
            tiles2(five, i1, c, cOff + j + half, n, kc, as, aBase, rs, alpha, a, aRaw, aRow, aCol, strip, half, 4 * L, false);
          }
        }
      }
      for (; j < j1; j += 2 * L) {
        int w = Math.min(2 * L, j1 - j);
        if (w == 2 * L) {
          // B(p, the 2L columns) is bs[bo + p bstep ..]: B itself, or the packed strip
          if (!directB) packStrip(b, bOff, bRow, bCol, p0, kc, j, w, w, buffers);
          float[] bs = directB ? b : strip;
          int bo = directB ? bOff + p0 * bRow + j : 0;
          int bstep = directB ? bRow : 2 * L;
          tiles2(i0, i1, c, cOff + j, n, kc, as, aBase, rs, alpha, a, aRaw, aRow, aCol, bs, bo, bstep, !directB);
          continue;
        }
        // the last strip is narrower: it is packed zero-padded to 2L (or L) columns and its C
        // columns go through a padded copy, so the tail runs on whole vectors too; the padding lanes
        // are discarded, each real lane does exactly its own fused multiply-adds
        int sw = w <= L ? L : 2 * L;
        packStrip(b, bOff, bRow, bCol, p0, kc, j, w, sw, buffers);
        for (int i = i0; i < i1; ) {
          int rows = height(i, full8, full6, full);
          for (int r = 0; r < rows; r++) {
            System.arraycopy(c, cOff + (i + r) * n + j, edge, r * sw, w);
            Arrays.fill(edge, r * sw + w, (r + 1) * sw, 0f);
          }
          int off = aBase + i * rs;
          if (rows == 8 && sw == 2 * L) tile8x2Packed(edge, 0, sw, kc, as, off, rs, strip);
          else if (rows == 8) tile8x1(edge, 0, sw, kc, as, off, rs, strip);
          else if (rows == 6 && sw == 2 * L) tile6x2(edge, 0, sw, kc, as, off, rs, strip, 0, 2 * L);
          else if (rows == 6) tile6x1(edge, 0, sw, kc, as, off, rs, strip);
          else if (rows == 4 && sw == 2 * L) tile4x2(edge, 0, sw, kc, as, off, rs, strip, 0, 2 * L);
          else if (rows == 4) tile4x1(edge, 0, sw, kc, as, off, rs, strip);
          else if (sw == 2 * L) tile1x2(edge, 0, kc, alpha, a, aRaw + i * aRow, aCol, strip, 0, 2 * L);
          else tile1x1(edge, 0, kc, alpha, a, aRaw + i * aRow, aCol, strip);
          for (int r = 0; r < rows; r++) System.arraycopy(edge, r * sw, c, cOff + (i + r) * n + j, w);
          i += rows;
        }
      }
    }
  }

  /**
   * Rows [i0, i1), a multiple of 8, of a product whose A is transposed (A(i, p) = a[aOff + p aCol + i]: g^T in a
   * weight gradient), on AVX-512. Each 8 rows of A's block of KC are packed interleaved along p: the 8 values of a
   * p are contiguous in A's storage and become contiguous in the panel, so packing is a copy (no transpose) and a
   * tile reads A as one forward stream. Then 3-, 2- and 1-vector strips of B, and a last strip narrower than a
   * vector padded to one, as in {@link #block}; every element of C sees the same fused multiply-adds in p order.
   */
  private void transposedA(int i0, int i1, int j0, int j1, int n, int k, float alpha, float[] a, int aOff, int aCol,
                           float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
    Buffers buffers = buffers(i1 - i0, true);
    float[] strip = buffers.strip;
    float[] panel = buffers.panel;
    float[] edge = buffers.edge;
    for (int i = i0; i < i1; i++) Kernels.scaleRow(c, cOff + i * n + j0, j1 - j0, beta);
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      packInterleaved(a, aOff + p0 * aCol + i0, aCol, alpha, kc, i1 - i0, panel);
      int j = j0;
      for (; j1 - j >= 3 * L; j += 3 * L) {
        packStrip(b, bOff, bRow, bCol, p0, kc, j, 3 * L, 3 * L, buffers);
        for (int i = i0; i < i1; i += 8) tile8x3i(c, cOff + i * n + j, n, kc, panel, (i - i0) * kc, strip);
      }
      if (j1 - j >= 2 * L) {
        packStrip(b, bOff, bRow, bCol, p0, kc, j, 2 * L, 2 * L, buffers);
        for (int i = i0; i < i1; i += 8) tile8x2i(c, cOff + i * n + j, n, kc, panel, (i - i0) * kc, strip);
        j += 2 * L;
      }
      if (j1 - j >= L) {
        packStrip(b, bOff, bRow, bCol, p0, kc, j, L, L, buffers);
        for (int i = i0; i < i1; i += 8) tile8x1i(c, cOff + i * n + j, n, kc, panel, (i - i0) * kc, strip);
        j += L;
      }
      if (j < j1) { // the last columns, fewer than a vector: through a copy of C's 8 rows padded to L (lanes never mix)
        int w = j1 - j;
        packStrip(b, bOff, bRow, bCol, p0, kc, j, w, L, buffers);
        for (int i = i0; i < i1; i += 8) {
          for (int r = 0; r < 8; r++) {
            System.arraycopy(c, cOff + (i + r) * n + j, edge, r * L, w);
            Arrays.fill(edge, r * L + w, (r + 1) * L, 0f);
          }
          tile8x1i(edge, 0, L, kc, panel, (i - i0) * kc, strip);
          for (int r = 0; r < 8; r++) System.arraycopy(edge, r * L, c, cOff + (i + r) * n + j, w);
        }
      }
    }
  }

  /**
   * alpha * A's rows [0, rows) (a multiple of 8) and kc columns of a transposed A ({@code A(i, p) = a[start + p aCol + i]})
   * into {@code panel} as 8-row panels interleaved along p: {@code panel[i kc + 8 p + i % 8]} for the panel of row
   * i - i % 8. The same products alpha * a as {@link #packPanel}.
   */
  private static void packInterleaved(float[] a, int start, int aCol, float alpha, int kc, int rows, float[] panel) {
    for (int g = 0; g < rows; g += 8) {
      int dst = g * kc;
      for (int p = 0; p < kc; p++) {
        int src = start + p * aCol + g;
        int d = dst + 8 * p;
        panel[d] = alpha * a[src];
        panel[d + 1] = alpha * a[src + 1];
        panel[d + 2] = alpha * a[src + 2];
        panel[d + 3] = alpha * a[src + 3];
        panel[d + 4] = alpha * a[src + 4];
        panel[d + 5] = alpha * a[src + 5];
        panel[d + 6] = alpha * a[src + 6];
        panel[d + 7] = alpha * a[src + 7];
      }
    }
  }

  /**
   * Rows [from, to) of one 2L-wide strip of C (its first column at {@code cj}) over one block of KC, in 8-, 6- and 4-row
   * tiles and single rows; A as in {@link #block} (row i from {@code aBase + i rs}, single rows unscaled from
   * {@code aRaw + i aRow}), B(p, the strip) at {@code bs[bo + p bstep]}. {@code packed}: a strip of its own
   * (bstep 2L), which the 8-row tile reads with a constant stride.
   */
  private void tiles2(int from, int to, float[] c, int cj, int n, int kc, float[] as, int aBase, int rs, float alpha, float[] a,
                      int aRaw, int aRow, int aCol, float[] bs, int bo, int bstep, boolean packed) {
    int full8 = from + 8 * eightRowTiles(to - from);
    int full6 = full8 + 6 * sixRowTiles(to - full8);
    int full = full6 + (to - full6) / 4 * 4;
    for (int i = from; i < full8; i += 8) {
      if (packed) tile8x2Packed(c, cj + i * n, n, kc, as, aBase + i * rs, rs, bs);
      else tile8x2(c, cj + i * n, n, kc, as, aBase + i * rs, rs, bs, bo, bstep);
    }
    for (int i = full8; i < full6; i += 6) tile6x2(c, cj + i * n, n, kc, as, aBase + i * rs, rs, bs, bo, bstep);
    for (int i = full6; i < full; i += 4) tile4x2(c, cj + i * n, n, kc, as, aBase + i * rs, rs, bs, bo, bstep);
    for (int i = full; i < to; i++) tile1x2(c, cj + i * n, kc, alpha, a, aRaw + i * aRow, aCol, bs, bo, bstep);
  }

  /**
   * How many 8-row tiles {@code rows} rows take (none without AVX-512's 32 registers). A single row runs at a quarter
   * of the tiles' speed, so 8 + 2 rows go as 6 + 4 and 8 + 3 as 6 + 4 + 1 ({@link #sixRowTiles}: 6 + 2 as 4 + 4).
   */
  private int eightRowTiles(int rows) {
    int tiles = tallest == 8 ? rows / 8 : 0;
    int rest = rows - 8 * tiles;
    return tiles > 0 && (rest == 2 || rest == 3) ? tiles - 1 : tiles;
  }

  private static int sixRowTiles(int rows) {
    int tiles = rows / 6;
    return tiles > 0 && rows % 6 >= 2 && rows % 6 <= 3 ? tiles - 1 : tiles;
  }

  /**
   * How many 5-row tiles a 4L-wide strip of {@code rows} rows takes (none without AVX-512: the tile needs 25 vector
   * registers): the rest is 0, 4, 6, 8 or 12 rows, all in tiles of 4 rows or more, or the whole block when it has
   * fewer than 8 rows. A 5 x 4L tile does 20 fused multiply-adds per 9 loads, where the 8 x 2L tile does 16 per
   * 10: on an Intel Xeon the 8 x 2L tile ran at 123-137 GFLOP/s with its data in L1, the 5 x 4L tile at 139-145.
   */
  private int fiveRowTiles(int rows) {
    if (tallest != 8) return 0;
    int tiles = rows / 5;
    int rest = rows % 5;
    tiles -= rest == 1 || rest == 3 ? 1 : rest == 2 ? 2 : 0;
    return Math.max(tiles, 0);
  }

  /** The height of the tile that starts at row i: 8, 6 or 4 rows, or a single row from {@code full} on. */
  private static int height(int i, int full8, int full6, int full) {
    return i < full8 ? 8 : i < full6 ? 6 : i < full ? 4 : 1;
  }

  /**
   * alpha * A's rows from {@code start} (aRow apart; a row's elements aCol apart), kc of its columns,
   * into {@code panel} from {@code t} as {@code rows} rows of kc, the layout of A read in place.
   */
  private static void packPanel(float[] a, int start, int aRow, int aCol, float alpha, int kc, int rows, float[] panel, int t) {
    if (aCol == 1) {
      for (int r = 0; r < rows; r++) {
        int src = start + r * aRow;
        int dst = t + r * kc;
        for (int p = 0; p < kc; p++) panel[dst + p] = alpha * a[src + p];
      }
      return;
    }
    int p = 0;
    if (aRow == 1) { // a transposed A stored along the rows of C (g^T in a weight gradient): by blocks of 8 values of p
      for (; p + 8 <= kc; p += 8) {
        for (int r = 0; r < rows; r++) {
          int src = start + p * aCol + r;
          int dst = t + r * kc + p;
          panel[dst] = alpha * a[src];
          panel[dst + 1] = alpha * a[src + aCol];
          panel[dst + 2] = alpha * a[src + 2 * aCol];
          panel[dst + 3] = alpha * a[src + 3 * aCol];
          panel[dst + 4] = alpha * a[src + 4 * aCol];
          panel[dst + 5] = alpha * a[src + 5 * aCol];
          panel[dst + 6] = alpha * a[src + 6 * aCol];
          panel[dst + 7] = alpha * a[src + 7 * aCol];
        }
      }
    }
    for (; p < kc; p++) { // a transposed A: read along its rows of storage, contiguous when aRow = 1
      int src = start + p * aCol;
      for (int r = 0; r < rows; r++) panel[t + r * kc + p] = alpha * a[src + r * aRow];
    }
  }

  /**
   * B's rows p0 .. p0+kc-1, columns j .. j+w-1, into {@code strip} as kc rows of {@code sw} floats; the
   * padding columns after w hold zeros, or stale values ({@link #packTransposed}): the kernel discards
   * their lanes whatever they hold (NaN included: lanes never mix).
   */
  private static void packStrip(float[] b, int bOff, int bRow, int bCol, int p0, int kc, int j, int w, int sw, Buffers buffers) {
    float[] strip = buffers.strip;
    int src = bOff + p0 * bRow + j * bCol;
    if (bCol != 1 && bRow == 1 && GATHERS && w == sw && w % L == 0) { // a transposed B stored along p (W^T in a dense layer's forward)
      gatherTransposed(b, src, bCol, kc, w, buffers.gather(bCol), strip);
      return;
    }
    if (bCol != 1 && bRow == 1) { // the same, or x^T, g^T, in narrower strips: by 8 x 8 blocks
      packTransposed(b, src, bCol, kc, w, sw, strip);
      return;
    }
    if (w < sw) Arrays.fill(strip, 0, kc * sw, 0f); // the padding columns, in one pass
    if (bCol == 1 && w == sw && w % (2 * L) == 0) { // a whole strip: 2 or 4 vectors a row (an arraycopy call per 2L values cost as much as the tiles' work on it when C has few rows)
      for (int p = 0; p < kc; p++) {
        int from = src + p * bRow;
        // cast to the exact class: with a type profile that also saw other vector classes (in the interpreter),
        // C2 otherwise calls intoArray on a boxed vector, allocating every copy
        for (int v = 0; v < w; v += 2 * L) {
          ((FloatVector) EXACT.cast(FloatVector.fromArray(S, b, from + v))).intoArray(strip, p * sw + v);
          ((FloatVector) EXACT.cast(FloatVector.fromArray(S, b, from + v + L))).intoArray(strip, p * sw + v + L);
        }
      }
    } else if (bCol == 1 && w >= L) {
      for (int p = 0; p < kc; p++) System.arraycopy(b, src + p * bRow, strip, p * sw, w);
    } else if (bCol == 1) { // a few columns (a convolution's filters): a call to arraycopy per row would cost more than the copy
      for (int p = 0; p < kc; p++) {
        for (int jj = 0; jj < w; jj++) strip[p * sw + jj] = b[src + p * bRow + jj];
      }
    } else { // a transposed B: a row of the strip takes one element from each of w stored rows
      for (int p = 0; p < kc; p++) {
        for (int jj = 0; jj < w; jj++) strip[p * sw + jj] = b[src + p * bRow + jj * bCol];
      }
    }
  }

  /**
   * {@link #packStrip} for a transposed B (B(p, jj) = b[src + jj bCol + p]) in whole vectors: strip row p, columns v ..
   * v + L - 1, is one gather of a value from each of L stored rows ({@code rows}: their offsets, bCol apart). A method of
   * its own, which C2 compiles with its own inlining budget: inlined into a larger caller, the gather boxed its vectors
   * in the convolution bench (6 MB a step).
   */
  private static void gatherTransposed(float[] b, int src, int bCol, int kc, int w, int[] rows, float[] strip) {
    for (int p = 0; p < kc; p++) {
      for (int v = 0; v < w; v += L) {
        ((FloatVector) EXACT.cast(FloatVector.fromArray(S, b, src + v * bCol + p, rows, 0))).intoArray(strip, p * w + v);
      }
    }
  }

  /**
   * {@link #packStrip} for a transposed B whose stored rows run along p (B(p, jj) = b[src + jj bCol + p]):
   * a dense layer's input x^T in the swapped forward product, a convolution's g^T in its weight
   * gradient. It goes by 8 x 8 blocks ({@link #transpose8}); blocks wholly past column w - 1 are not
   * written: their lanes keep whatever the strip held, which the kernel discards (a convolution's 8
   * filters in a strip of 16: half the work). The last kc % 8 rows go one element at a time.
   */
  private static void packTransposed(float[] b, int src, int bCol, int kc, int w, int sw, float[] strip) {
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      for (int h = 0; h < w; h += 8) transpose8(b, src + h * bCol + p, bCol, Math.min(8, w - h), strip, p * sw + h, sw);
    }
    for (; p < kc; p++) {
      for (int jj = 0; jj < w; jj++) strip[p * sw + jj] = b[src + jj * bCol + p];
      for (int jj = w; jj < sw; jj++) strip[p * sw + jj] = 0f;
    }
  }

  /**
   * Stored rows jj < cols of B from {@code at} ({@code stride} apart), 8 values of p each, into 8 strip
   * rows from {@code dst} ({@code sw} apart): {@code strip[dst + l sw + jj] = b[at + jj stride + l]}.
   * Plain Java on purpose: a Vector API version (8 loads turned in registers by rotations and blends)
   * was no faster measurably, and on JDK 17 it boxed its vectors, allocating megabytes per step, in
   * some runs and not others, depending on the JIT's inlining budget (docs/performance.md, "Writing
   * Vector API code that stays compiled").
   */
  private static void transpose8(float[] b, int at, int stride, int cols, float[] strip, int dst, int sw) {
    for (int jj = 0; jj < cols; jj++) {
      int s = at + jj * stride;
      int d = dst + jj;
      strip[d] = b[s];
      strip[d + sw] = b[s + 1];
      strip[d + 2 * sw] = b[s + 2];
      strip[d + 3 * sw] = b[s + 3];
      strip[d + 4 * sw] = b[s + 4];
      strip[d + 5 * sw] = b[s + 5];
      strip[d + 6 * sw] = b[s + 6];
      strip[d + 7 * sw] = b[s + 7];
    }
  }

  /**
   * The species' vector class: the tiles store their accumulators as {@code ((FloatVector) EXACT.cast(s))}.
   * C2 (JDK 17) intrinsifies a vector store only when it knows the vector's exact class; for a value
   * that comes out of a loop it may not, and then boxes every vector of the loop (20x slower; seen
   * with the stores after the p loop). The cast is written out rather than put in a helper method:
   * {@code Class.cast} is an intrinsic, while a helper is an ordinary call that C2 stops inlining
   * once a method is as large as the 8-row tile ({@code NodeCountInliningCutoff}, which boxed the
   * last accumulator there). The same holds for any call of a final method of FloatVector that C2
   * inlines late, past its inlining budget (docs/performance.md, "Writing Vector API code that stays
   * compiled").
   */
  private static final Class<? extends Vector<Float>> EXACT = S.vectorType();

  /** Where a 5-row tile's first block starts its sums when beta is 0: 5 rows of 4L zeros, never written. */
  private static final float[] ZEROS = new float[5 * 4 * L];

  /** Like {@link #tile4x2} with one vector of columns (strip rows of L floats). */
  private static void tile4x1(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] strip) {
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    FloatVector s1 = FloatVector.fromArray(S, c, c1);
    FloatVector s2 = FloatVector.fromArray(S, c, c2);
    FloatVector s3 = FloatVector.fromArray(S, c, c3);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, strip, p * L);
      int ap = off + p;
      s0 = bv.fma(FloatVector.broadcast(S, as[ap]), s0);
      s1 = bv.fma(FloatVector.broadcast(S, as[ap + rs]), s1);
      s2 = bv.fma(FloatVector.broadcast(S, as[ap + 2 * rs]), s2);
      s3 = bv.fma(FloatVector.broadcast(S, as[ap + 3 * rs]), s3);
    }
    ((FloatVector) EXACT.cast(s0)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s1)).intoArray(c, c1);
    ((FloatVector) EXACT.cast(s2)).intoArray(c, c2);
    ((FloatVector) EXACT.cast(s3)).intoArray(c, c3);
  }

  /**
   * Four rows of C from {@code c0} (n apart) by 2L columns, over one block of kc steps of p:
   * {@code as[off + r rs + p]} holds alpha * A(row r, p) (the packed panel, or A itself) and
   * {@code bs[bo + p bstep ..]} holds B(p, the 2L columns) (the packed strip, or B itself).
   */
  private static void tile4x2(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] bs, int bo, int bstep) {
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + L);
    for (int p = 0; p < kc; p++) {
      int bp = bo + p * bstep;
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      int ap = off + p;
      FloatVector x0 = FloatVector.broadcast(S, as[ap]);
      FloatVector x1 = FloatVector.broadcast(S, as[ap + rs]);
      FloatVector x2 = FloatVector.broadcast(S, as[ap + 2 * rs]);
      FloatVector x3 = FloatVector.broadcast(S, as[ap + 3 * rs]);
      s00 = b0.fma(x0, s00);
      s01 = b1.fma(x0, s01);
      s10 = b0.fma(x1, s10);
      s11 = b1.fma(x1, s11);
      s20 = b0.fma(x2, s20);
      s21 = b1.fma(x2, s21);
      s30 = b0.fma(x3, s30);
      s31 = b1.fma(x3, s31);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c1);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c1 + L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c2);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c2 + L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c3);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c3 + L);
  }

  /**
   * Five rows of C from {@code c0} (n apart) by 4L columns over one block, B from a packed 4L-wide strip
   * ({@code bs[p 4L ..]}): 20 accumulators, B's four vectors and A's broadcast take 25 of AVX-512's 32 registers.
   * The sums start from {@code from} ({@code f0}, rows {@code fn} apart): C itself, or {@link #ZEROS}.
   */
  private static void tile5x4(float[] c, int c0, int n, float[] from, int f0, int fn, int kc, float[] as, int off, int rs, float[] bs) {
    FloatVector s00 = FloatVector.fromArray(S, from, f0), s01 = FloatVector.fromArray(S, from, f0 + L);
    FloatVector s02 = FloatVector.fromArray(S, from, f0 + 2 * L), s03 = FloatVector.fromArray(S, from, f0 + 3 * L);
    FloatVector s10 = FloatVector.fromArray(S, from, f0 + fn), s11 = FloatVector.fromArray(S, from, f0 + fn + L);
    FloatVector s12 = FloatVector.fromArray(S, from, f0 + fn + 2 * L), s13 = FloatVector.fromArray(S, from, f0 + fn + 3 * L);
    FloatVector s20 = FloatVector.fromArray(S, from, f0 + 2 * fn), s21 = FloatVector.fromArray(S, from, f0 + 2 * fn + L);
    FloatVector s22 = FloatVector.fromArray(S, from, f0 + 2 * fn + 2 * L), s23 = FloatVector.fromArray(S, from, f0 + 2 * fn + 3 * L);
    FloatVector s30 = FloatVector.fromArray(S, from, f0 + 3 * fn), s31 = FloatVector.fromArray(S, from, f0 + 3 * fn + L);
    FloatVector s32 = FloatVector.fromArray(S, from, f0 + 3 * fn + 2 * L), s33 = FloatVector.fromArray(S, from, f0 + 3 * fn + 3 * L);
    FloatVector s40 = FloatVector.fromArray(S, from, f0 + 4 * fn), s41 = FloatVector.fromArray(S, from, f0 + 4 * fn + L);
    FloatVector s42 = FloatVector.fromArray(S, from, f0 + 4 * fn + 2 * L), s43 = FloatVector.fromArray(S, from, f0 + 4 * fn + 3 * L);
    for (int p = 0; p < kc; p++) {
      int bp = p * (4 * L); // a constant stride, as in tile8x2Packed
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      FloatVector b2 = FloatVector.fromArray(S, bs, bp + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, bs, bp + 3 * L);
      int ap = off + p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      s02 = b2.fma(x, s02);
      s03 = b3.fma(x, s03);
      x = FloatVector.broadcast(S, as[ap + rs]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      s12 = b2.fma(x, s12);
      s13 = b3.fma(x, s13);
      x = FloatVector.broadcast(S, as[ap + 2 * rs]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      s22 = b2.fma(x, s22);
      s23 = b3.fma(x, s23);
      x = FloatVector.broadcast(S, as[ap + 3 * rs]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      s32 = b2.fma(x, s32);
      s33 = b3.fma(x, s33);
      x = FloatVector.broadcast(S, as[ap + 4 * rs]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      s42 = b2.fma(x, s42);
      s43 = b3.fma(x, s43);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s02)).intoArray(c, c0 + 2 * L);
    ((FloatVector) EXACT.cast(s03)).intoArray(c, c0 + 3 * L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s12)).intoArray(c, c0 + n + 2 * L);
    ((FloatVector) EXACT.cast(s13)).intoArray(c, c0 + n + 3 * L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s22)).intoArray(c, c0 + 2 * n + 2 * L);
    ((FloatVector) EXACT.cast(s23)).intoArray(c, c0 + 2 * n + 3 * L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s32)).intoArray(c, c0 + 3 * n + 2 * L);
    ((FloatVector) EXACT.cast(s33)).intoArray(c, c0 + 3 * n + 3 * L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s42)).intoArray(c, c0 + 4 * n + 2 * L);
    ((FloatVector) EXACT.cast(s43)).intoArray(c, c0 + 4 * n + 3 * L);
  }

  /**
   * Eight rows of C from {@code c0} (n apart) by 2L columns, like {@link #tile4x2}: 16 accumulators
   * (19 of AVX-512's 32 vector registers with B's two vectors and A's broadcast), 16 fused
   * multiply-adds per 10 loads, where the 6-row tile does 12 per 8 and the 4-row tile 8 per 6: the tile
   * that keeps Zen 5's two FMA pipes busiest.
   */
  private static void tile8x2(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] bs, int bo, int bstep) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n), s11 = FloatVector.fromArray(S, c, c0 + n + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n), s21 = FloatVector.fromArray(S, c, c0 + 2 * n + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n), s31 = FloatVector.fromArray(S, c, c0 + 3 * n + L);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n), s41 = FloatVector.fromArray(S, c, c0 + 4 * n + L);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n), s51 = FloatVector.fromArray(S, c, c0 + 5 * n + L);
    FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n), s61 = FloatVector.fromArray(S, c, c0 + 6 * n + L);
    FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n), s71 = FloatVector.fromArray(S, c, c0 + 7 * n + L);
    for (int p = 0; p < kc; p++) {
      int bp = bo + p * bstep;
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      int ap = off + p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      x = FloatVector.broadcast(S, as[ap + rs]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      x = FloatVector.broadcast(S, as[ap + 2 * rs]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      x = FloatVector.broadcast(S, as[ap + 3 * rs]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      x = FloatVector.broadcast(S, as[ap + 4 * rs]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      x = FloatVector.broadcast(S, as[ap + 5 * rs]);
      s50 = b0.fma(x, s50);
      s51 = b1.fma(x, s51);
      x = FloatVector.broadcast(S, as[ap + 6 * rs]);
      s60 = b0.fma(x, s60);
      s61 = b1.fma(x, s61);
      x = FloatVector.broadcast(S, as[ap + 7 * rs]);
      s70 = b0.fma(x, s70);
      s71 = b1.fma(x, s71);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s51)).intoArray(c, c0 + 5 * n + L);
    ((FloatVector) EXACT.cast(s60)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s61)).intoArray(c, c0 + 6 * n + L);
    ((FloatVector) EXACT.cast(s70)).intoArray(c, c0 + 7 * n);
    ((FloatVector) EXACT.cast(s71)).intoArray(c, c0 + 7 * n + L);
  }

  /**
   * {@link #tile8x2} on a packed strip ({@code bs[p 2L ..]}): a copy, because only a constant stride
   * lets C2 check B's loads against the strip's bounds once per tile rather than once per p (the
   * stride of B read in place is a variable: about 1.1x on the dense layer's GEMMs in JMH).
   */
  private static void tile8x2Packed(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] bs) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n), s11 = FloatVector.fromArray(S, c, c0 + n + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n), s21 = FloatVector.fromArray(S, c, c0 + 2 * n + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n), s31 = FloatVector.fromArray(S, c, c0 + 3 * n + L);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n), s41 = FloatVector.fromArray(S, c, c0 + 4 * n + L);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n), s51 = FloatVector.fromArray(S, c, c0 + 5 * n + L);
    FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n), s61 = FloatVector.fromArray(S, c, c0 + 6 * n + L);
    FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n), s71 = FloatVector.fromArray(S, c, c0 + 7 * n + L);
    for (int p = 0; p < kc; p++) {
      int bp = p * (2 * L); // a constant stride: C2 hoists the loads' bounds checks out of the loop
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      int ap = off + p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      x = FloatVector.broadcast(S, as[ap + rs]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      x = FloatVector.broadcast(S, as[ap + 2 * rs]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      x = FloatVector.broadcast(S, as[ap + 3 * rs]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      x = FloatVector.broadcast(S, as[ap + 4 * rs]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      x = FloatVector.broadcast(S, as[ap + 5 * rs]);
      s50 = b0.fma(x, s50);
      s51 = b1.fma(x, s51);
      x = FloatVector.broadcast(S, as[ap + 6 * rs]);
      s60 = b0.fma(x, s60);
      s61 = b1.fma(x, s61);
      x = FloatVector.broadcast(S, as[ap + 7 * rs]);
      s70 = b0.fma(x, s70);
      s71 = b1.fma(x, s71);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s51)).intoArray(c, c0 + 5 * n + L);
    ((FloatVector) EXACT.cast(s60)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s61)).intoArray(c, c0 + 6 * n + L);
    ((FloatVector) EXACT.cast(s70)).intoArray(c, c0 + 7 * n);
    ((FloatVector) EXACT.cast(s71)).intoArray(c, c0 + 7 * n + L);
  }

  /**
   * Six rows of C from {@code c0} (n apart) by 2L columns, like {@link #tile8x2}: for the rows an 8-row tile leaves over (6 or 7; 8 + 2 rows go as 6 + 4).
   */
  private static void tile6x2(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] bs, int bo, int bstep) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n), s11 = FloatVector.fromArray(S, c, c0 + n + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n), s21 = FloatVector.fromArray(S, c, c0 + 2 * n + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n), s31 = FloatVector.fromArray(S, c, c0 + 3 * n + L);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n), s41 = FloatVector.fromArray(S, c, c0 + 4 * n + L);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n), s51 = FloatVector.fromArray(S, c, c0 + 5 * n + L);
    for (int p = 0; p < kc; p++) {
      int bp = bo + p * bstep;
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      int ap = off + p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      x = FloatVector.broadcast(S, as[ap + rs]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      x = FloatVector.broadcast(S, as[ap + 2 * rs]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      x = FloatVector.broadcast(S, as[ap + 3 * rs]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      x = FloatVector.broadcast(S, as[ap + 4 * rs]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      x = FloatVector.broadcast(S, as[ap + 5 * rs]);
      s50 = b0.fma(x, s50);
      s51 = b1.fma(x, s51);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s51)).intoArray(c, c0 + 5 * n + L);
  }

  /** Like {@link #tile8x2} with one vector of columns (strip rows of L floats). */
  private static void tile8x1(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] strip) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    FloatVector s1 = FloatVector.fromArray(S, c, c0 + n);
    FloatVector s2 = FloatVector.fromArray(S, c, c0 + 2 * n);
    FloatVector s3 = FloatVector.fromArray(S, c, c0 + 3 * n);
    FloatVector s4 = FloatVector.fromArray(S, c, c0 + 4 * n);
    FloatVector s5 = FloatVector.fromArray(S, c, c0 + 5 * n);
    FloatVector s6 = FloatVector.fromArray(S, c, c0 + 6 * n);
    FloatVector s7 = FloatVector.fromArray(S, c, c0 + 7 * n);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, strip, p * L);
      int ap = off + p;
      s0 = bv.fma(FloatVector.broadcast(S, as[ap]), s0);
      s1 = bv.fma(FloatVector.broadcast(S, as[ap + rs]), s1);
      s2 = bv.fma(FloatVector.broadcast(S, as[ap + 2 * rs]), s2);
      s3 = bv.fma(FloatVector.broadcast(S, as[ap + 3 * rs]), s3);
      s4 = bv.fma(FloatVector.broadcast(S, as[ap + 4 * rs]), s4);
      s5 = bv.fma(FloatVector.broadcast(S, as[ap + 5 * rs]), s5);
      s6 = bv.fma(FloatVector.broadcast(S, as[ap + 6 * rs]), s6);
      s7 = bv.fma(FloatVector.broadcast(S, as[ap + 7 * rs]), s7);
    }
    ((FloatVector) EXACT.cast(s0)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s1)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s2)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s3)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s4)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s5)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s6)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s7)).intoArray(c, c0 + 7 * n);
  }

  /**
   * 8 rows by 3 vectors of C from an interleaved panel of a transposed A ({@link #transposedA}): A(r, p) is
   * {@code as[off + 8 p + r]}, so each p's 8 broadcasts read one 32-byte run that the previous p's run precedes, and
   * B(p, the 3L columns) is {@code bs[3L p ..]}. 24 accumulators, 3 loads of B and 8 broadcasts per 24 fused multiply-adds.
   */
  private static void tile8x3i(float[] c, int c0, int n, int kc, float[] as, int off, float[] bs) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L), s02 = FloatVector.fromArray(S, c, c0 + 2 * L);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n), s11 = FloatVector.fromArray(S, c, c0 + n + L), s12 = FloatVector.fromArray(S, c, c0 + n + 2 * L);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n), s21 = FloatVector.fromArray(S, c, c0 + 2 * n + L), s22 = FloatVector.fromArray(S, c, c0 + 2 * n + 2 * L);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n), s31 = FloatVector.fromArray(S, c, c0 + 3 * n + L), s32 = FloatVector.fromArray(S, c, c0 + 3 * n + 2 * L);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n), s41 = FloatVector.fromArray(S, c, c0 + 4 * n + L), s42 = FloatVector.fromArray(S, c, c0 + 4 * n + 2 * L);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n), s51 = FloatVector.fromArray(S, c, c0 + 5 * n + L), s52 = FloatVector.fromArray(S, c, c0 + 5 * n + 2 * L);
    FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n), s61 = FloatVector.fromArray(S, c, c0 + 6 * n + L), s62 = FloatVector.fromArray(S, c, c0 + 6 * n + 2 * L);
    FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n), s71 = FloatVector.fromArray(S, c, c0 + 7 * n + L), s72 = FloatVector.fromArray(S, c, c0 + 7 * n + 2 * L);
    for (int p = 0; p < kc; p++) {
      int bp = p * (3 * L);
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      FloatVector b2 = FloatVector.fromArray(S, bs, bp + 2 * L);
      int ap = off + 8 * p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      s02 = b2.fma(x, s02);
      x = FloatVector.broadcast(S, as[ap + 1]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      s12 = b2.fma(x, s12);
      x = FloatVector.broadcast(S, as[ap + 2]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      s22 = b2.fma(x, s22);
      x = FloatVector.broadcast(S, as[ap + 3]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      s32 = b2.fma(x, s32);
      x = FloatVector.broadcast(S, as[ap + 4]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      s42 = b2.fma(x, s42);
      x = FloatVector.broadcast(S, as[ap + 5]);
      s50 = b0.fma(x, s50);
      s51 = b1.fma(x, s51);
      s52 = b2.fma(x, s52);
      x = FloatVector.broadcast(S, as[ap + 6]);
      s60 = b0.fma(x, s60);
      s61 = b1.fma(x, s61);
      s62 = b2.fma(x, s62);
      x = FloatVector.broadcast(S, as[ap + 7]);
      s70 = b0.fma(x, s70);
      s71 = b1.fma(x, s71);
      s72 = b2.fma(x, s72);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s02)).intoArray(c, c0 + 2 * L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s12)).intoArray(c, c0 + n + 2 * L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s22)).intoArray(c, c0 + 2 * n + 2 * L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s32)).intoArray(c, c0 + 3 * n + 2 * L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s42)).intoArray(c, c0 + 4 * n + 2 * L);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s51)).intoArray(c, c0 + 5 * n + L);
    ((FloatVector) EXACT.cast(s52)).intoArray(c, c0 + 5 * n + 2 * L);
    ((FloatVector) EXACT.cast(s60)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s61)).intoArray(c, c0 + 6 * n + L);
    ((FloatVector) EXACT.cast(s62)).intoArray(c, c0 + 6 * n + 2 * L);
    ((FloatVector) EXACT.cast(s70)).intoArray(c, c0 + 7 * n);
    ((FloatVector) EXACT.cast(s71)).intoArray(c, c0 + 7 * n + L);
    ((FloatVector) EXACT.cast(s72)).intoArray(c, c0 + 7 * n + 2 * L);
  }

  /** {@link #tile8x3i} with 2 vectors of columns (strip rows of 2L floats). */
  private static void tile8x2i(float[] c, int c0, int n, int kc, float[] as, int off, float[] bs) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n), s11 = FloatVector.fromArray(S, c, c0 + n + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n), s21 = FloatVector.fromArray(S, c, c0 + 2 * n + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n), s31 = FloatVector.fromArray(S, c, c0 + 3 * n + L);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n), s41 = FloatVector.fromArray(S, c, c0 + 4 * n + L);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n), s51 = FloatVector.fromArray(S, c, c0 + 5 * n + L);
    FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n), s61 = FloatVector.fromArray(S, c, c0 + 6 * n + L);
    FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n), s71 = FloatVector.fromArray(S, c, c0 + 7 * n + L);
    for (int p = 0; p < kc; p++) {
      int bp = p * (2 * L);
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      FloatVector b1 = FloatVector.fromArray(S, bs, bp + L);
      int ap = off + 8 * p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      x = FloatVector.broadcast(S, as[ap + 1]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      x = FloatVector.broadcast(S, as[ap + 2]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      x = FloatVector.broadcast(S, as[ap + 3]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      x = FloatVector.broadcast(S, as[ap + 4]);
      s40 = b0.fma(x, s40);
      s41 = b1.fma(x, s41);
      x = FloatVector.broadcast(S, as[ap + 5]);
      s50 = b0.fma(x, s50);
      s51 = b1.fma(x, s51);
      x = FloatVector.broadcast(S, as[ap + 6]);
      s60 = b0.fma(x, s60);
      s61 = b1.fma(x, s61);
      x = FloatVector.broadcast(S, as[ap + 7]);
      s70 = b0.fma(x, s70);
      s71 = b1.fma(x, s71);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s01)).intoArray(c, c0 + L);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s11)).intoArray(c, c0 + n + L);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s21)).intoArray(c, c0 + 2 * n + L);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s31)).intoArray(c, c0 + 3 * n + L);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s41)).intoArray(c, c0 + 4 * n + L);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s51)).intoArray(c, c0 + 5 * n + L);
    ((FloatVector) EXACT.cast(s60)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s61)).intoArray(c, c0 + 6 * n + L);
    ((FloatVector) EXACT.cast(s70)).intoArray(c, c0 + 7 * n);
    ((FloatVector) EXACT.cast(s71)).intoArray(c, c0 + 7 * n + L);
  }

  /** {@link #tile8x3i} with 1 vector of columns (strip rows of L floats). */
  private static void tile8x1i(float[] c, int c0, int n, int kc, float[] as, int off, float[] bs) {
    FloatVector s00 = FloatVector.fromArray(S, c, c0);
    FloatVector s10 = FloatVector.fromArray(S, c, c0 + n);
    FloatVector s20 = FloatVector.fromArray(S, c, c0 + 2 * n);
    FloatVector s30 = FloatVector.fromArray(S, c, c0 + 3 * n);
    FloatVector s40 = FloatVector.fromArray(S, c, c0 + 4 * n);
    FloatVector s50 = FloatVector.fromArray(S, c, c0 + 5 * n);
    FloatVector s60 = FloatVector.fromArray(S, c, c0 + 6 * n);
    FloatVector s70 = FloatVector.fromArray(S, c, c0 + 7 * n);
    for (int p = 0; p < kc; p++) {
      int bp = p * L;
      FloatVector b0 = FloatVector.fromArray(S, bs, bp);
      int ap = off + 8 * p;
      FloatVector x = FloatVector.broadcast(S, as[ap]);
      s00 = b0.fma(x, s00);
      x = FloatVector.broadcast(S, as[ap + 1]);
      s10 = b0.fma(x, s10);
      x = FloatVector.broadcast(S, as[ap + 2]);
      s20 = b0.fma(x, s20);
      x = FloatVector.broadcast(S, as[ap + 3]);
      s30 = b0.fma(x, s30);
      x = FloatVector.broadcast(S, as[ap + 4]);
      s40 = b0.fma(x, s40);
      x = FloatVector.broadcast(S, as[ap + 5]);
      s50 = b0.fma(x, s50);
      x = FloatVector.broadcast(S, as[ap + 6]);
      s60 = b0.fma(x, s60);
      x = FloatVector.broadcast(S, as[ap + 7]);
      s70 = b0.fma(x, s70);
    }
    ((FloatVector) EXACT.cast(s00)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s10)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s20)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s30)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s40)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s50)).intoArray(c, c0 + 5 * n);
    ((FloatVector) EXACT.cast(s60)).intoArray(c, c0 + 6 * n);
    ((FloatVector) EXACT.cast(s70)).intoArray(c, c0 + 7 * n);
  }

  /** Like {@link #tile6x2} with one vector of columns (strip rows of L floats). */
  private static void tile6x1(float[] c, int c0, int n, int kc, float[] as, int off, int rs, float[] strip) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    FloatVector s1 = FloatVector.fromArray(S, c, c0 + n);
    FloatVector s2 = FloatVector.fromArray(S, c, c0 + 2 * n);
    FloatVector s3 = FloatVector.fromArray(S, c, c0 + 3 * n);
    FloatVector s4 = FloatVector.fromArray(S, c, c0 + 4 * n);
    FloatVector s5 = FloatVector.fromArray(S, c, c0 + 5 * n);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, strip, p * L);
      int ap = off + p;
      s0 = bv.fma(FloatVector.broadcast(S, as[ap]), s0);
      s1 = bv.fma(FloatVector.broadcast(S, as[ap + rs]), s1);
      s2 = bv.fma(FloatVector.broadcast(S, as[ap + 2 * rs]), s2);
      s3 = bv.fma(FloatVector.broadcast(S, as[ap + 3 * rs]), s3);
      s4 = bv.fma(FloatVector.broadcast(S, as[ap + 4 * rs]), s4);
      s5 = bv.fma(FloatVector.broadcast(S, as[ap + 5 * rs]), s5);
    }
    ((FloatVector) EXACT.cast(s0)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s1)).intoArray(c, c0 + n);
    ((FloatVector) EXACT.cast(s2)).intoArray(c, c0 + 2 * n);
    ((FloatVector) EXACT.cast(s3)).intoArray(c, c0 + 3 * n);
    ((FloatVector) EXACT.cast(s4)).intoArray(c, c0 + 4 * n);
    ((FloatVector) EXACT.cast(s5)).intoArray(c, c0 + 5 * n);
  }

  /** One row of C from {@code c0} by 2L columns over one block (B as in {@link #tile4x2}); A's row is read from {@code a0} (alpha applied here). */
  private static void tile1x2(float[] c, int c0, int kc, float alpha, float[] a, int a0, int aCol, float[] bs, int bo, int bstep) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0), s1 = FloatVector.fromArray(S, c, c0 + L);
    for (int p = 0; p < kc; p++) {
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s0 = FloatVector.fromArray(S, bs, bo + p * bstep).fma(x, s0);
      s1 = FloatVector.fromArray(S, bs, bo + p * bstep + L).fma(x, s1);
    }
    ((FloatVector) EXACT.cast(s0)).intoArray(c, c0);
    ((FloatVector) EXACT.cast(s1)).intoArray(c, c0 + L);
  }

  /** Like {@link #tile1x2} with one vector of columns (strip rows of L floats). */
  private static void tile1x1(float[] c, int c0, int kc, float alpha, float[] a, int a0, int aCol, float[] strip) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    for (int p = 0; p < kc; p++) {
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s0 = FloatVector.fromArray(S, strip, p * L).fma(x, s0);
    }
    ((FloatVector) EXACT.cast(s0)).intoArray(c, c0);
  }
}
