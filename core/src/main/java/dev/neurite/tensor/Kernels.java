package dev.neurite.tensor;

/**
 * The numerical kernels the layers are written with. Every sum runs in a fixed order, so results
 * are bit-identical from run to run. Plain loops for now: cache blocking, SIMD and threads are the
 * job of the performance work, which must keep the same contracts.
 */
public final class Kernels {
  private Kernels() {}

  /**
   * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C} on row-major arrays,
   * where {@code op(X)} is X or its transpose. {@code C} is m x n, {@code op(A)} is m x k and
   * {@code op(B)} is k x n. With {@code beta == 0} the old contents of C are ignored (NaNs too).
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float[] a, float[] b, float beta, float[] c) {
    gemm(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /** {@link #gemm(boolean, boolean, int, int, int, float, float[], float[], float, float[])} on slices starting at the offsets. */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (c.length - (long) cOff < (long) m * n || a.length - (long) aOff < (long) m * k || b.length - (long) bOff < (long) k * n
        || aOff < 0 || bOff < 0 || cOff < 0) {
      throw new IllegalArgumentException("gemm: arrays too small for m=" + m + " n=" + n + " k=" + k);
    }
    scale(c, cOff, m * n, beta);
    if (!transA && !transB) {
      for (int i = 0; i < m; i++) {
        int ci = cOff + i * n;
        for (int p = 0; p < k; p++) {
          float av = alpha * a[aOff + i * k + p];
          int bp = bOff + p * n;
          for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
        }
      }
    } else if (!transA) { // B stored n x k
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * k;
        for (int j = 0; j < n; j++) {
          int bj = bOff + j * k;
          float sum = 0f;
          for (int p = 0; p < k; p++) sum += a[ai + p] * b[bj + p];
          c[cOff + i * n + j] += alpha * sum;
        }
      }
    } else if (!transB) { // A stored k x m
      for (int p = 0; p < k; p++) {
        int ap = aOff + p * m;
        int bp = bOff + p * n;
        for (int i = 0; i < m; i++) {
          float av = alpha * a[ap + i];
          int ci = cOff + i * n;
          for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
        }
      }
    } else { // A stored k x m, B stored n x k
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float sum = 0f;
          for (int p = 0; p < k; p++) sum += a[aOff + p * m + i] * b[bOff + j * k + p];
          c[cOff + i * n + j] += alpha * sum;
        }
      }
    }
  }

  private static void scale(float[] c, int off, int len, float beta) {
    if (beta == 0f) {
      java.util.Arrays.fill(c, off, off + len, 0f);
    } else if (beta != 1f) {
      for (int i = off; i < off + len; i++) c[i] *= beta;
    }
  }

  /** Adds {@code bias[j]} to every row of the rows x cols matrix {@code x}. */
  public static void addRowVector(float[] x, int rows, int cols, float[] bias) {
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      for (int j = 0; j < cols; j++) x[r + j] += bias[j];
    }
  }

  /** {@code out[j] += sum over rows of x[i][j]}: the bias gradient, summed row by row in order. */
  public static void sumRowsInto(float[] x, int rows, int cols, float[] out) {
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      for (int j = 0; j < cols; j++) out[j] += x[r + j];
    }
  }

  /** {@code y[i] += alpha * x[i]} for the first {@code len} elements. */
  public static void axpy(int len, float alpha, float[] x, float[] y) {
    for (int i = 0; i < len; i++) y[i] += alpha * x[i];
  }

  /** Sum of squares, accumulated in double in index order. */
  public static double sumOfSquares(float[] x) {
    double s = 0;
    for (float v : x) s += (double) v * v;
    return s;
  }
}
