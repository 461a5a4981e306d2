package dev.neurite.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel on the JDK's Vector API (an incubator module: the JVM needs
 * {@code --add-modules jdk.incubator.vector}, else {@link Kernels} falls back to {@link ScalarGemm}).
 * Register tiles of 4 rows by 2 vectors of C stay in registers for the whole sum over p; each lane
 * does exactly the scalar kernel's fused multiply-adds, in the same order.
 */
final class VectorGemm implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public String name() {
    return "vector (" + L + " lanes)";
  }

  @Override
  public void rows(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                   float[] b, int bOff, float beta, float[] c, int cOff) {
    int wide = n - n % (2 * L);
    // C's rows scaled first (the same IEEE multiply per element), so the tiles always just load C:
    // branch-free tiles are what JDK 17's C2 needs to keep the Vector API intrinsics
    for (int i = i0; i < i1; i++) Kernels.scaleRow(c, cOff + i * n, n, beta);
    for (int i = i0; i < i1; i++) {
      int rows = Math.min(4, i1 - i);
      if (rows == 4) {
        for (int j = 0; j < wide; j += 2 * L) tile4x2(i, j, n, k, alpha, a, aOff, aRow, aCol, b, bOff, c, cOff);
      } else {
        rows = 1;
        for (int j = 0; j < wide; j += 2 * L) tile1x2(i, j, n, k, alpha, a, aOff, aRow, aCol, b, bOff, c, cOff);
      }
      // the last columns: whole vectors, then plain loops (masked vectors are not compiled well by JDK 17)
      int j = wide;
      for (; j + L <= n; j += L) {
        for (int r = i; r < i + rows; r++) column(r, j, n, k, alpha, a, aOff, aRow, aCol, b, bOff, c, cOff);
      }
      if (j < n) {
        for (int r = i; r < i + rows; r++) scalarColumns(r, j, n, k, alpha, a, aOff, aRow, aCol, b, bOff, c, cOff);
      }
      i += rows - 1;
    }
  }

  /** One vector of columns [j, j + L) of row r. */
  private static void column(int r, int j, int n, int k, float alpha, float[] a, int aOff, int aRow,
                             int aCol, float[] b, int bOff, float[] c, int cOff) {
    int c0 = cOff + r * n + j;
    FloatVector s = FloatVector.fromArray(S, c, c0);
    int a0 = aOff + r * aRow;
    for (int p = 0; p < k; p++) {
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s = FloatVector.fromArray(S, b, bOff + p * n + j).fma(x, s);
    }
    s.intoArray(c, c0);
  }

  /** Columns [from, n) of row r (fewer than one vector, C already scaled), with the scalar kernel's arithmetic. */
  private static void scalarColumns(int r, int from, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                                    float[] b, int bOff, float[] c, int cOff) {
    int ci = cOff + r * n;
    int ai = aOff + r * aRow;
    for (int p = 0; p < k; p++) {
      float av = alpha * a[ai + p * aCol];
      int bp = bOff + p * n;
      for (int j = from; j < n; j++) c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
    }
  }

  private static void tile4x2(int i, int j, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                              float[] b, int bOff, float[] c, int cOff) {
    int c0 = cOff + i * n + j;
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + L);
    int a0 = aOff + i * aRow;
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    for (int p = 0; p < k; p++) {
      int bp = bOff + p * n + j;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      int ap = p * aCol;
      FloatVector x0 = FloatVector.broadcast(S, alpha * a[a0 + ap]);
      FloatVector x1 = FloatVector.broadcast(S, alpha * a[a1 + ap]);
      FloatVector x2 = FloatVector.broadcast(S, alpha * a[a2 + ap]);
      FloatVector x3 = FloatVector.broadcast(S, alpha * a[a3 + ap]);
      s00 = b0.fma(x0, s00);
      s01 = b1.fma(x0, s01);
      s10 = b0.fma(x1, s10);
      s11 = b1.fma(x1, s11);
      s20 = b0.fma(x2, s20);
      s21 = b1.fma(x2, s21);
      s30 = b0.fma(x3, s30);
      s31 = b1.fma(x3, s31);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + L);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + L);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + L);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + L);
  }

  private static void tile1x2(int i, int j, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                              float[] b, int bOff, float[] c, int cOff) {
    int c0 = cOff + i * n + j;
    FloatVector s0 = FloatVector.fromArray(S, c, c0), s1 = FloatVector.fromArray(S, c, c0 + L);
    int a0 = aOff + i * aRow;
    for (int p = 0; p < k; p++) {
      int bp = bOff + p * n + j;
      FloatVector x = FloatVector.broadcast(S, alpha * a[a0 + p * aCol]);
      s0 = FloatVector.fromArray(S, b, bp).fma(x, s0);
      s1 = FloatVector.fromArray(S, b, bp + L).fma(x, s1);
    }
    s0.intoArray(c, c0);
    s1.intoArray(c, c0 + L);
  }

}
