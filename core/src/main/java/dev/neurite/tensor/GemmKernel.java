package dev.neurite.tensor;

/**
 * The inner loops of {@link Kernels#gemm}: rows {@code [i0, i1)} by columns {@code [j0, j1)} of C. Every element of C is
 * computed as {@code c = beta * c} (or 0 when beta is 0), then {@code c = fma(alpha * a(i, p), b(p, j), c)}
 * for p = 0, 1, ..., k-1 in that order. Math.fma is exactly rounded, so every implementation (scalar
 * loops, the Vector API) gives the same bits, whatever its tiling.
 */
interface GemmKernel {
  /**
   * @param a    A(i, p) is {@code a[aOff + i * aRow + p * aCol]}
   * @param b    B(p, j) is {@code b[bOff + p * bRow + j * bCol]}: {@code bRow = n, bCol = 1} for B
   *             stored k x n, {@code bRow = 1, bCol = k} for B stored transposed
   * @param c    C is m x n, row-major, contiguous from {@code cOff}
   */
  void block(int i0, int i1, int j0, int j1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
            float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff);

  /**
   * Called by the caller before a GEMM of {@code m} rows is split into chunks of at most {@code chunkRows} rows:
   * a kernel with buffers per thread sizes them here, so that no thread allocates in a later step.
   */
  default void reserve(int m, int chunkRows, int k, float alpha, int aRow, int aCol) {}

  /** For reports: which implementation this is. */
  String name();
}
