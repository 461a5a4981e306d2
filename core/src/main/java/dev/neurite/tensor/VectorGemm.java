package dev.neurite.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel on the JDK's Vector API (an incubator module: the JVM needs
 * {@code --add-modules jdk.incubator.vector}, else {@link Kernels} falls back to {@link ScalarGemm}).
 * Register tiles of 6 rows (or 4) by 2 vectors of C stay in registers for the whole sum over p; each
 * lane does exactly the scalar kernel's fused multiply-adds, in the same order.
 *
 * <p>The launcher keeps C2 from inlining the {@code tile*} methods into {@link #block}
 * ({@code -XX:CompileCommand=dontinline}): C2 compiles {@code block} without the branches it has not
 * seen taken, and deoptimizes it when a new shape takes one (an epoch's shorter last batch). A tile
 * inlined there would then run in C1 code, which allocates an object per vector operation, until C2
 * compiled {@code block} again; a tile compiled on its own keeps running at full speed. The call per
 * tile cost nothing measurable (docs/performance.md, session 8).
 */
final class VectorGemm implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public String name() {
    return "vector (" + L + " lanes)";
  }

  /** Rows of B per packed block: a block of one 2L-wide strip is KC * 2L floats (16 KiB with 16 lanes), within L1. */
  private static final int KC = 128;
  private static final ThreadLocal<float[]> STRIP = ThreadLocal.withInitial(() -> new float[KC * 2 * L]);
  private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[0]);
  /** Up to 6 rows of C's last, narrower strip, zero-padded to whole vectors. */
  private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[6 * 2 * L]);

  @Override
  public void block(int i0, int i1, int j0, int j1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                   float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
    // C's rows scaled first (the same IEEE multiply per element), so the tiles always just load C:
    // branch-free tiles are what JDK 17's C2 needs to keep the Vector API intrinsics
    for (int i = i0; i < i1; i++) Kernels.scaleRow(c, cOff + i * n + j0, j1 - j0, beta);
    // rows [i0, full6) go in 6-row tiles, [full6, full) in 4-row tiles, the rest (at most 3) one by
    // one; a single row runs at a quarter of the tiles' speed, so 6 + 2 rows go as 4 + 4 (and 6 + 3 as 4 + 4 + 1)
    int tiles6 = (i1 - i0) / 6;
    if (tiles6 > 0 && (i1 - i0) % 6 >= 2 && (i1 - i0) % 6 <= 3) tiles6--;
    int full6 = i0 + 6 * tiles6;
    int full = full6 + (i1 - full6) / 4 * 4;
    // Packing, KC rows of B (and columns of A) at a time: alpha * A's block is copied tile by tile into
    // a contiguous panel, and each 2L-wide strip of B's block (read along rows, or down the columns of
    // a transposed B) into a contiguous strip that every tile reuses. Strided operands (rows 4 KiB
    // apart, as with n = 1024) would otherwise map every load to the same L1 set. C is stored between
    // blocks and reloaded, so each element still sees the same fused multiply-adds in p order: the
    // bits do not change. A's rows are read in place (ps = 1, rs = aRow apart) when they need no scaling, each is
    // contiguous, a block of them stays in L2 and their starts do not share L1 sets (rows a multiple
    // of 2 KiB apart: n = 2048 ran 1.7x slower in place); else from the packed panel (groups of 6 or
    // 4 per p: ps = rows, rs = 1)
    boolean direct = alpha == 1f && aCol == 1 && aRow % 512 != 0 && (long) (i1 - i0) * Math.min(k, KC) <= 65_536;
    float[] strip = STRIP.get();
    float[] panel = PANEL.get();
    if (!direct && panel.length < (full - i0) * KC) {
      panel = new float[(full - i0) * KC];
      PANEL.set(panel);
    }
    float[] edge = EDGE.get();
    // B's full strips are read in place too when C has few rows (a convolution's filters): packing
    // them would cost as much as the tiles' own reads, with only a tile or two to reuse the strip.
    // Not when B's rows are a multiple of 2 KiB apart (they would share L1 sets, as A's above).
    boolean directB = bCol == 1 && i1 - i0 <= 16 && bRow % 512 != 0;
    float[] as = direct ? a : panel;
    int rs = direct ? aRow : 1; // A(r, p) is as[off + r rs + p ps], off and ps per tile below
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      if (!direct) {
        for (int i = i0; i < full; i += i < full6 ? 6 : 4) {
          packPanel(a, aOff + i * aRow + p0 * aCol, aRow, aCol, alpha, kc, i < full6 ? 6 : 4, panel, (i - i0) * kc);
        }
      }
      for (int j = j0; j < j1; j += 2 * L) {
        int w = Math.min(2 * L, j1 - j);
        // the last strip may be narrower: it is packed zero-padded to 2L (or L) columns and its C
        // columns go through a padded copy, so the tail runs on whole vectors too; the padding lanes
        // are discarded, each real lane does exactly its own fused multiply-adds
        int sw = w <= L ? L : 2 * L;
        if (w == 2 * L) {
          // B(p, the 2L columns) is bs[bo + p bstep ..]: B itself, or the packed strip
          boolean inPlace = directB;
          if (!inPlace) packStrip(b, bOff, bRow, bCol, p0, kc, j, w, sw, strip);
          float[] bs = inPlace ? b : strip;
          int bo = inPlace ? bOff + p0 * bRow + j : 0;
          int bstep = inPlace ? bRow : 2 * L;
          for (int i = i0; i < full6; i += 6) {
            tile6x2(c, cOff + i * n + j, n, kc, as, direct ? aOff + i * aRow + p0 : (i - i0) * kc, rs, direct ? 1 : 6, bs, bo, bstep);
          }
          for (int i = full6; i < full; i += 4) {
            tile4x2(c, cOff + i * n + j, n, kc, as, direct ? aOff + i * aRow + p0 : (i - i0) * kc, rs, direct ? 1 : 4, bs, bo, bstep);
          }
          for (int i = full; i < i1; i++) tile1x2(c, cOff + i * n + j, kc, alpha, a, aOff + i * aRow + p0 * aCol, aCol, bs, bo, bstep);
          continue;
        }
        packStrip(b, bOff, bRow, bCol, p0, kc, j, w, sw, strip);
        for (int i = i0; i < i1; ) {
          int rows = i < full6 ? 6 : i < full ? 4 : 1;
          for (int r = 0; r < rows; r++) {
            System.arraycopy(c, cOff + (i + r) * n + j, edge, r * sw, w);
            java.util.Arrays.fill(edge, r * sw + w, (r + 1) * sw, 0f);
          }
          int off = direct ? aOff + i * aRow + p0 : (i - i0) * kc;
          int ps = direct ? 1 : rows;
          if (rows == 6 && sw == 2 * L) tile6x2(edge, 0, sw, kc, as, off, rs, ps, strip, 0, 2 * L);
          else if (rows == 6) tile6x1(edge, 0, sw, kc, as, off, rs, ps, strip);
          else if (rows == 4 && sw == 2 * L) tile4x2(edge, 0, sw, kc, as, off, rs, ps, strip, 0, 2 * L);
          else if (rows == 4) tile4x1(edge, 0, sw, kc, as, off, rs, ps, strip);
          else if (sw == 2 * L) tile1x2(edge, 0, kc, alpha, a, aOff + i * aRow + p0 * aCol, aCol, strip, 0, 2 * L);
          else tile1x1(edge, 0, kc, alpha, a, aOff + i * aRow + p0 * aCol, aCol, strip);
          for (int r = 0; r < rows; r++) System.arraycopy(edge, r * sw, c, cOff + (i + r) * n + j, w);
          i += rows;
        }
      }
    }
  }

  /**
   * alpha * A's rows from {@code start} (aRow apart; a row's elements aCol apart), kc of its columns,
   * into {@code panel} from {@code t} as kc groups of {@code rows}: the order the tiles read them in.
   */
  private static void packPanel(float[] a, int start, int aRow, int aCol, float alpha, int kc, int rows, float[] panel, int t) {
    for (int p = 0; p < kc; p++) {
      int src = start + p * aCol;
      int dst = t + rows * p;
      for (int r = 0; r < rows; r++) panel[dst + r] = alpha * a[src + r * aRow];
    }
  }

  /** B's rows p0 .. p0+kc-1, columns j .. j+w-1, into {@code strip} as kc rows of {@code sw} floats (zeros after w). */
  private static void packStrip(float[] b, int bOff, int bRow, int bCol, int p0, int kc, int j, int w, int sw, float[] strip) {
    if (w < sw) java.util.Arrays.fill(strip, 0, kc * sw, 0f); // the padding columns, in one pass
    int src = bOff + p0 * bRow + j * bCol;
    if (bCol == 1) {
      for (int p = 0; p < kc; p++) System.arraycopy(b, src + p * bRow, strip, p * sw, w);
    } else { // a transposed B (a dense layer's W^T): a row of the strip takes one element from each of w stored rows
      for (int p = 0; p < kc; p++) {
        for (int jj = 0; jj < w; jj++) strip[p * sw + jj] = b[src + p * bRow + jj * bCol];
      }
    }
  }

  /**
   * {@code v} cast to the species' vector class. C2 (JDK 17) intrinsifies a vector store only when it
   * knows the vector's exact class; for a value that comes out of a loop it may not, and then boxes
   * every vector of the loop (20x slower; seen with the store of the accumulators after the p loop).
   */
  private static FloatVector exact(FloatVector v) {
    return (FloatVector) S.vectorType().cast(v);
  }

  /** Like {@link #tile4x2} with one vector of columns (strip rows of L floats). */
  private static void tile4x1(float[] c, int c0, int n, int kc, float[] as, int off, int rs, int ps, float[] strip) {
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    FloatVector s1 = FloatVector.fromArray(S, c, c1);
    FloatVector s2 = FloatVector.fromArray(S, c, c2);
    FloatVector s3 = FloatVector.fromArray(S, c, c3);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, strip, p * L);
      int ap = off + p * ps;
      s0 = bv.fma(FloatVector.broadcast(S, as[ap]), s0);
      s1 = bv.fma(FloatVector.broadcast(S, as[ap + rs]), s1);
      s2 = bv.fma(FloatVector.broadcast(S, as[ap + 2 * rs]), s2);
      s3 = bv.fma(FloatVector.broadcast(S, as[ap + 3 * rs]), s3);
    }
    exact(s0).intoArray(c, c0);
    exact(s1).intoArray(c, c1);
    exact(s2).intoArray(c, c2);
    exact(s3).intoArray(c, c3);
  }

  /**
   * Four rows of C from {@code c0} (n apart) by 2L columns, over one block of kc steps of p:
   * {@code as[off + r rs + p ps]} holds alpha * A(row r, p) (the packed panel, or A itself) and
   * {@code bs[bo + p bstep ..]} holds B(p, the 2L columns) (the packed strip, or B itself).
   */
  private static void tile4x2(float[] c, int c0, int n, int kc, float[] as, int off, int rs, int ps, float[] bs, int bo, int bstep) {
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
      int ap = off + p * ps;
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
    exact(s00).intoArray(c, c0);
    exact(s01).intoArray(c, c0 + L);
    exact(s10).intoArray(c, c1);
    exact(s11).intoArray(c, c1 + L);
    exact(s20).intoArray(c, c2);
    exact(s21).intoArray(c, c2 + L);
    exact(s30).intoArray(c, c3);
    exact(s31).intoArray(c, c3 + L);
  }

  /**
   * Six rows of C from {@code c0} (n apart) by 2L columns, like {@link #tile4x2} with panel groups of
   * 6 per p: 12 accumulators keep two FMA pipes busy (Zen 5: twice as fast as the 4-row tile). Eight
   * rows would be faster still, but JDK 17's C2 stops inlining the Vector API calls of a method that
   * large (NodeCountInliningCutoff) and then boxes every vector.
   */
  private static void tile6x2(float[] c, int c0, int n, int kc, float[] as, int off, int rs, int ps, float[] bs, int bo, int bstep) {
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
      int ap = off + p * ps;
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
    exact(s00).intoArray(c, c0);
    exact(s01).intoArray(c, c0 + L);
    exact(s10).intoArray(c, c0 + n);
    exact(s11).intoArray(c, c0 + n + L);
    exact(s20).intoArray(c, c0 + 2 * n);
    exact(s21).intoArray(c, c0 + 2 * n + L);
    exact(s30).intoArray(c, c0 + 3 * n);
    exact(s31).intoArray(c, c0 + 3 * n + L);
    exact(s40).intoArray(c, c0 + 4 * n);
    exact(s41).intoArray(c, c0 + 4 * n + L);
    exact(s50).intoArray(c, c0 + 5 * n);
    exact(s51).intoArray(c, c0 + 5 * n + L);
  }

  /** Like {@link #tile6x2} with one vector of columns (strip rows of L floats). */
  private static void tile6x1(float[] c, int c0, int n, int kc, float[] as, int off, int rs, int ps, float[] strip) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    FloatVector s1 = FloatVector.fromArray(S, c, c0 + n);
    FloatVector s2 = FloatVector.fromArray(S, c, c0 + 2 * n);
    FloatVector s3 = FloatVector.fromArray(S, c, c0 + 3 * n);
    FloatVector s4 = FloatVector.fromArray(S, c, c0 + 4 * n);
    FloatVector s5 = FloatVector.fromArray(S, c, c0 + 5 * n);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, strip, p * L);
      int ap = off + p * ps;
      s0 = bv.fma(FloatVector.broadcast(S, as[ap]), s0);
      s1 = bv.fma(FloatVector.broadcast(S, as[ap + rs]), s1);
      s2 = bv.fma(FloatVector.broadcast(S, as[ap + 2 * rs]), s2);
      s3 = bv.fma(FloatVector.broadcast(S, as[ap + 3 * rs]), s3);
      s4 = bv.fma(FloatVector.broadcast(S, as[ap + 4 * rs]), s4);
      s5 = bv.fma(FloatVector.broadcast(S, as[ap + 5 * rs]), s5);
    }
    exact(s0).intoArray(c, c0);
    exact(s1).intoArray(c, c0 + n);
    exact(s2).intoArray(c, c0 + 2 * n);
    exact(s3).intoArray(c, c0 + 3 * n);
    exact(s4).intoArray(c, c0 + 4 * n);
    exact(s5).intoArray(c, c0 + 5 * n);
  }

  /** One row of C from {@code c0} by 2L columns over one block (B as in {@link #tile4x2}); A's row is read from {@code a0} (alpha applied here). */
  private static void tile1x2(float[] c, int c0, int kc, float alpha, float[] a, int a0, int aCol, float[] bs, int bo, int bstep) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0), s1 = FloatVector.fromArray(S, c, c0 + L);
    for (int p = 0; p < kc; p++) {
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s0 = FloatVector.fromArray(S, bs, bo + p * bstep).fma(x, s0);
      s1 = FloatVector.fromArray(S, bs, bo + p * bstep + L).fma(x, s1);
    }
    exact(s0).intoArray(c, c0);
    exact(s1).intoArray(c, c0 + L);
  }

  /** Like {@link #tile1x2} with one vector of columns (strip rows of L floats). */
  private static void tile1x1(float[] c, int c0, int kc, float alpha, float[] a, int a0, int aCol, float[] strip) {
    FloatVector s0 = FloatVector.fromArray(S, c, c0);
    for (int p = 0; p < kc; p++) {
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s0 = FloatVector.fromArray(S, strip, p * L).fma(x, s0);
    }
    exact(s0).intoArray(c, c0);
  }
}
