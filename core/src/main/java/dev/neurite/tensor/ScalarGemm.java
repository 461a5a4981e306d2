package dev.neurite.tensor;

/** The reference kernel in plain Java loops (the JIT vectorizes the inner loop where it can). */
final class ScalarGemm implements GemmKernel {
  private static final ThreadLocal<float[]> PACKED = ThreadLocal.withInitial(() -> new float[0]);

  @Override
  public void block(int i0, int i1, int j0, int j1, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
                   float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff) {
    if (bCol != 1) { // B stored n x k (rows bCol apart): transpose it so the inner loop streams B's rows
      float[] packed = PACKED.get();
      if (packed.length < k * n) {
        packed = new float[k * n];
        PACKED.set(packed);
      }
      Kernels.transpose(b, bOff, n, k, bCol, packed, 0);
      b = packed;
      bOff = 0;
    }
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * n;
      Kernels.scaleRow(c, ci + j0, j1 - j0, beta);
      int ai = aOff + i * aRow;
      for (int p = 0; p < k; p++) {
        float av = alpha * a[ai + p * aCol];
        int bp = bOff + p * n;
        for (int j = j0; j < j1; j++) c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
      }
    }
  }

  @Override
  public String name() {
    return "scalar";
  }
}
