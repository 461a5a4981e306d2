package dev.neurite.tensor;

/** The reference kernel in plain Java loops (the JIT vectorizes the inner loop where it can). */
final class ScalarGemm implements GemmKernel {
  @Override
  public void rows(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                   float[] b, int bOff, float beta, float[] c, int cOff) {
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * n;
      Kernels.scaleRow(c, ci, n, beta);
      int ai = aOff + i * aRow;
      for (int p = 0; p < k; p++) {
        float av = alpha * a[ai + p * aCol];
        int bp = bOff + p * n;
        for (int j = 0; j < n; j++) c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
      }
    }
  }

  @Override
  public String name() {
    return "scalar";
  }
}
