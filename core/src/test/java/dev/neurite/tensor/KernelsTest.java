package dev.neurite.tensor;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.spi.RandomStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelsTest {
  private static float[] random(int n, long seed) {
    RandomStream r = new RandomStream(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
    return a;
  }

  /** Textbook triple loop in double over the logical (un-transposed) matrices. */
  private static double[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4} alpha={5} beta={6}")
  @CsvSource({
      "false,false,7,5,3,1,0", "false,true,7,5,3,1,0", "true,false,7,5,3,1,0", "true,true,7,5,3,1,0",
      "false,false,33,17,65,0.5,1", "false,true,33,17,65,2,0.25", "true,false,1,9,4,1,1", "true,true,12,1,30,-1,2"})
  void gemmMatchesTheTextbookDefinition(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
    float[] a = random(m * k, 1);
    float[] b = random(k * n, 2);
    float[] c = random(m * n, 3);
    double[] expected = reference(ta, tb, m, n, k, alpha, a, b, beta, c);
    Kernels.gemm(op(ta), op(tb), m, n, k, alpha, a, b, beta, c);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) c[i]).as("C[%d]", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5 * k + 1e-6));
    }
  }

  @Test
  void betaZeroIgnoresWhateverCHeld() {
    float[] c = {Float.NaN, Float.NaN};
    Kernels.gemm(AS_IS, AS_IS, 1, 2, 1, 1f, new float[] {2}, new float[] {3, 4}, 0f, c);
    assertThat(c).containsExactly(6f, 8f);
  }

  @Test
  void betaZeroIgnoresWhateverCHeldInEveryTile() { // 5 x 4L tiles start from zeros, the others from C zeroed first
    int m = 23, n = 170, k = 3; // with 16 lanes: 4L-wide strips (5- and 8-row tiles), a 2L-wide one (8, 6, 1 rows), an edge
    float[] a = random(m * k, 4);
    float[] b = random(k * n, 5);
    float[] expected = new float[m * n];
    Kernels.gemmScalar(false, false, m, n, k, 1f, a, 0, b, 0, 0f, expected, 0);
    float[] c = new float[m * n];
    Arrays.fill(c, Float.NaN);
    Kernels.gemm(new VectorGemm(8), false, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
    assertThat(c).isEqualTo(expected);
  }

  @Test
  void rejectsArraysTooSmallForTheShape() {
    assertThatThrownBy(() -> Kernels.gemm(AS_IS, AS_IS, 2, 2, 2, 1f, new float[3], new float[4], 0f, new float[4]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=2 n=2 k=2");
  }

  @Test
  void rowHelpers() {
    float[] x = {1, 2, 3, 4, 5, 6};
    Kernels.addRowVector(x, 2, 3, new float[] {10, 20, 30});
    assertThat(x).containsExactly(11, 22, 33, 14, 25, 36);
    float[] sums = new float[3];
    Kernels.sumRowsInto(x, 2, 3, sums);
    assertThat(sums).containsExactly(25, 47, 69);
    assertThat(Kernels.sumOfSquares(new float[] {3, 4})).isEqualTo(25.0);
  }

  /** A bias added to every row, for widths around whole vectors, and for a batch large enough to split between threads. */
  @Test
  void rowVectorIsAddedToEveryRowForEveryWidth() {
    for (int[] shape : new int[][] {{3, 1}, {3, 15}, {3, 16}, {3, 17}, {2, 33}, {5, 257}, {300, 257}}) {
      int rows = shape[0], cols = shape[1];
      float[] x = random(rows * cols, cols);
      float[] bias = random(cols, rows);
      float[] expected = x.clone();
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) expected[i * cols + j] += bias[j];
      }
      Kernels.addRowVector(x, rows, cols, bias);
      assertThat(x).as(rows + " x " + cols).isEqualTo(expected);
    }
  }

  /** Every width a bias gradient can have, around whole vectors and blocks of four: each column adds its rows in order. */
  @Test
  void columnSumsAddEveryRowInOrderForEveryWidth() {
    for (int cols : new int[] {1, 5, 15, 16, 17, 31, 48, 63, 64, 65, 79, 100, 130, 257}) {
      for (int rows : new int[] {1, 3, 37}) {
        float[] x = random(rows * cols, cols + rows);
        float[] sums = random(cols, 3);
        float[] expected = sums.clone();
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) expected[j] += x[i * cols + j];
        }
        Kernels.sumRowsInto(x, rows, cols, sums);
        assertThat(sums).as(rows + " x " + cols).isEqualTo(expected);
      }
    }
  }

  /** A bias gradient large enough to split by columns: each column adds its rows in order onto the old value, on any thread count. */
  @Test
  void largeColumnSumsAddEveryRowInOrderOnAnyThreadCount() {
    int rows = 300, cols = 257; // 77,100 values: split between threads
    float[] x = random(rows * cols, 7);
    float[] start = random(cols, 8);
    float[] expected = start.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) expected[j] += x[i * cols + j];
    }
    int before = Parallel.threads();
    boolean oversubscribed = Parallel.oversubscribe();
    try {
      Parallel.setOversubscribe(true);
      for (int threads : new int[] {1, 2, 3, 16}) {
        Parallel.setThreads(threads);
        float[] sums = start.clone();
        Kernels.sumRowsInto(x, rows, cols, sums);
        assertThat(sums).as(threads + " threads").isEqualTo(expected);
      }
    } finally {
      Parallel.setOversubscribe(oversubscribed);
      Parallel.setThreads(before);
    }
  }

  @Test
  void sumAddsEightInterleavedPartialSumsPairwise() {
    RandomStream random = new RandomStream(5);
    float[] x = new float[40];
    for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
    for (int from = 0; from < 3; from++) {
      for (int len = 0; len + from <= x.length; len++) {
        float[] partial = new float[8];
        for (int i = 0; i < len; i++) partial[i % 8] += x[from + i];
        float expected = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        assertThat(Float.floatToRawIntBits(Kernels.sum(x, from, len))).as("from %d, %d elements", from, len)
            .isEqualTo(Float.floatToRawIntBits(expected));
      }
    }
    assertThat(Kernels.sum(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 10)).isEqualTo(65f);
  }

  @Test
  void testsRunTheVectorKernel() {
    assertThat(Kernels.gemmKernel()).startsWith("vector");
  }

  @Test
  void vectorKernelTilesAreSixOrEightRowsTall() {
    assertThat(new VectorGemm(6).name()).endsWith(", 6-row tiles)");
    assertThatThrownBy(() -> new VectorGemm(7)).hasMessage("tallest tile: 6 or 8 rows, not 7");
  }

  @Test
  void stalePaddingLanesOfAPackedStripNeverReachTheResult() {
    // the packing of a transposed B leaves 8-column blocks wholly past the strip's last real column as
    // they were: fill the strip with NaN first, then multiply by B^T with 8 columns (in a strip of 16)
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      float[] nan = new float[64 * 16];
      java.util.Arrays.fill(nan, Float.NaN);
      Kernels.gemm(AS_IS, TRANSPOSED, 16, 64, 16, 1f, random(16 * 16, 1), nan, 0.5f, new float[16 * 64]);
      for (int[] s : new int[][] {{9, 8, 676}, {16, 8, 24}, {16, 3, 16}, {8, 40, 9}}) {
        int m = s[0], n = s[1], k = s[2];
        float[] a = random(m * k, 2);
        float[] b = random(k * n, 3);
        float[] vector = new float[m * n];
        float[] scalar = new float[m * n];
        Kernels.gemm(AS_IS, TRANSPOSED, m, n, k, 1f, a, b, 0.5f, vector);
        Kernels.gemmScalar(false, true, m, n, k, 1f, a, 0, b, 0, 0.5f, scalar, 0);
        assertThat(vector).as(m + "x" + n + "x" + k).doesNotContain(Float.NaN).isEqualTo(scalar);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * Split between 3, 8 and 16 threads (run even past this machine's processors), C's blocks form grids of row blocks by
   * column strips when C has fewer 16-row blocks than threads; every element keeps its bits. The decomposition
   * recorded for each shape shows the grid.
   */
  @Test
  void gemmsSplitIntoGridsForManyThreadsGiveTheOneThreadBits() {
    int[][] shapes = {{1024, 256, 784}, {128, 128, 256}, {10, 400, 64}, {64, 10, 400}, {40, 200, 100}, {16, 96, 300}, {300, 50, 70}};
    String[][] grids = { // for 16 threads
        {"C in 16 x 1 blocks"}, {"C in 8 x 2 blocks"}, {"C in 1 x 13 blocks"}, {"C in 4 x 1 blocks"}, {"C in 3 x 5 blocks"},
        {"C in 1 x 3 blocks"}, {"C in 16 x 1 blocks"}};
    int before = Parallel.threads();
    boolean oversubscribed = Parallel.oversubscribe();
    try {
      Parallel.setOversubscribe(true);
      for (int i = 0; i < shapes.length; i++) {
        int m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
        for (int variant = 0; variant < 4; variant++) {
          boolean ta = (variant & 1) != 0;
          float alpha = (variant & 2) != 0 ? 1f : 0.75f;
          float[] a = random(m * k, 3);
          float[] b = random(k * n, 4);
          float[] c0 = random(m * n, 5);
          Parallel.setThreads(1);
          float[] one = c0.clone();
          Kernels.gemm(op(ta), AS_IS, m, n, k, alpha, a, 0, b, 0, 0.5f, one, 0);
          for (int threads : new int[] {3, 8, 16}) {
            Parallel.setThreads(threads);
            Parallel.recordDecomposition(true);
            float[] split = c0.clone();
            Kernels.gemm(op(ta), AS_IS, m, n, k, alpha, a, 0, b, 0, 0.5f, split, 0);
            java.util.Set<String> how = Parallel.decomposition().keySet();
            Parallel.recordDecomposition(false);
            String what = m + "x" + n + "x" + k + " transA=" + ta + " alpha=" + alpha + ", " + threads + " threads";
            assertThat(split).as(what).isEqualTo(one);
            if (threads == 16 && alpha == 1f && !ta) assertThat(how).as(what).containsExactly("GEMM " + m + "x" + n + "x" + k + ": " + grids[i][0]);
          }
        }
      }
    } finally {
      Parallel.recordDecomposition(false);
      Parallel.setOversubscribe(oversubscribed);
      Parallel.setThreads(before);
    }
  }

  @Test
  void vectorAndScalarKernelsAndThreadCountsGiveIdenticalBits() {
    int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 32, 9}, {5, 33, 17}, {13, 47, 31}, {64, 100, 70}, {129, 65, 3},
        {6, 70, 300}, {66, 1024, 260}, // k > 128: several packed blocks of B and a remainder
        {8, 9, 676}, {16, 72, 121}, {7, 15, 200}, {9, 17, 3}, // a last strip narrower than one or two vectors
        {6, 40, 5}, {11, 20, 130}, {23, 48, 9}, {128, 256, 140}, // 8-, 6- and 4-row tiles and single rows, with edges:
        {2, 33, 9}, {12, 40, 20}, {14, 50, 130}, // with 66 and 11, every rows % 8 with and without an 8-row tile
        {1100, 70, 140}, // taller than a block's slice of rows (1024 with 512-bit vectors, else 512)
        {10, 64, 9}, {12, 130, 140}, {13, 200, 20}, {21, 96, 7}, {37, 160, 33}, // 4L-wide strips: rows % 5 = 0, 2, 3, 1, 2
        {40, 80, 130}, {24, 47, 5}, {17, 63, 9}}; // a transposed A in 8-row panels: a 2L strip after a 3L one, a 2L strip and an edge, one row left
    int before = Parallel.threads();
    try {
      for (int[] s : shapes) {
        for (int variant = 0; variant < 16; variant++) {
          boolean ta = (variant & 1) != 0;
          boolean tb = (variant & 2) != 0;
          float alpha = (variant & 4) != 0 ? 1f : 0.75f; // 1: the vector kernel reads A in place (when not transposed)
          float beta = (variant & 8) != 0 ? 0f : 0.5f; // 0 with alpha 1 and B transposed: C = (B A^T)^T when m is small
          int m = s[0], n = s[1], k = s[2];
          float[] a = random(m * k + 3, 7);
          float[] b = random(k * n + 5, 8);
          float[] c0 = random(m * n + 2, 9);
          float[] scalar = c0.clone();
          Kernels.gemmScalar(ta, tb, m, n, k, alpha, a, 3, b, 5, beta, scalar, 2);
          float[] definition = c0.clone();
          definition(ta, tb, m, n, k, alpha, a, 3, b, 5, beta, definition, 2);
          Parallel.setThreads(1);
          float[] one = c0.clone();
          Kernels.gemm(op(ta), op(tb), m, n, k, alpha, a, 3, b, 5, beta, one, 2);
          float[] sixRows = c0.clone(); // the kernel as it runs without AVX-512: 6-row tiles at most
          Kernels.gemm(new VectorGemm(6), ta, tb, m, n, k, alpha, a, 3, b, 5, beta, sixRows, 2);
          float[] eightRows = c0.clone();
          Kernels.gemm(new VectorGemm(8), ta, tb, m, n, k, alpha, a, 3, b, 5, beta, eightRows, 2);
          Parallel.setThreads(2);
          float[] two = c0.clone();
          Kernels.gemm(op(ta), op(tb), m, n, k, alpha, a, 3, b, 5, beta, two, 2);
          String what = m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb + " alpha=" + alpha + " beta=" + beta;
          assertThat(scalar).as("scalar kernel vs the definition, " + what).isEqualTo(definition);
          assertThat(one).as("vector vs scalar, " + what).isEqualTo(scalar);
          assertThat(sixRows).as("6-row tiles vs scalar, " + what).isEqualTo(scalar);
          assertThat(eightRows).as("8-row tiles vs scalar, " + what).isEqualTo(scalar);
          assertThat(two).as("2 threads vs 1, " + what).isEqualTo(one);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void aSmallOutputWithALongKIsSummedInFixedPartsOfKOnAnyThreadsAndKernel() {
    assertThat(Kernels.kParts(10, 128, 4096)).as("a 10-class weight gradient at batch 4096: 4 blocks of C, 4 parts").isEqualTo(4);
    assertThat(Kernels.kParts(10, 128, 2048)).as("2^18 multiply-adds per block and part at least").isEqualTo(2);
    assertThat(Kernels.kParts(10, 128, 1024)).as("too little work per block").isEqualTo(1);
    assertThat(Kernels.kParts(64, 10, 1024)).as("a 10-class forward pass after 1024 units, batch 64").isEqualTo(1);
    assertThat(Kernels.kParts(9, 8, 65536)).as("one block of C: 16 parts").isEqualTo(16);
    assertThat(Kernels.kParts(1, 1, 4096)).as("parts of at least 256 values of k, but too little work").isEqualTo(1);
    assertThat(Kernels.kParts(128, 256, 65536)).as("C of 16 blocks or more").isEqualTo(1);
    int[][] shapes = {{10, 128, 4096}, {9, 8, 65536}, {3, 70, 20000}, {20, 40, 8191}};
    int before = Parallel.threads();
    boolean oversubscribed = Parallel.oversubscribe();
    try {
      Parallel.setOversubscribe(true);
      for (int[] s : shapes) {
        int m = s[0], n = s[1], k = s[2];
        int parts = Kernels.kParts(m, n, k);
        assertThat(parts).as(m + "x" + n + "x" + k).isGreaterThan(1);
        for (int variant = 0; variant < 8; variant++) {
          boolean ta = (variant & 1) != 0;
          boolean tb = (variant & 2) != 0;
          float alpha = (variant & 4) != 0 ? 1f : 0.75f;
          float[] a = random(m * k + 3, 11);
          float[] b = random(k * n + 5, 12);
          float[] c0 = random(m * n + 2, 13);
          // part 0 continues from 0.5 c, parts 1.. start from 0; then c + s1 + s2 + ... in order
          float[] expected = c0.clone();
          int p1 = k / parts;
          definition(ta, tb, m, n, k, p1, alpha, a, 3, b, 5, 0.5f, expected, 2, 0);
          for (int t = 1; t < parts; t++) {
            int from = (int) ((long) k * t / parts);
            int to = (int) ((long) k * (t + 1) / parts);
            float[] part = new float[m * n];
            definition(ta, tb, m, n, k, to, alpha, a, 3, b, 5, 0f, part, 0, from);
            for (int e = 0; e < m * n; e++) expected[2 + e] += part[e];
          }
          String what = m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb + " alpha=" + alpha;
          float[] scalar = c0.clone();
          Parallel.setThreads(1);
          Kernels.gemmScalar(ta, tb, m, n, k, alpha, a, 3, b, 5, 0.5f, scalar, 2);
          assertThat(scalar).as("scalar kernel, " + what).isEqualTo(expected);
          float[] sixRows = c0.clone();
          Kernels.gemm(new VectorGemm(6), ta, tb, m, n, k, alpha, a, 3, b, 5, 0.5f, sixRows, 2);
          assertThat(sixRows).as("6-row tiles, " + what).isEqualTo(expected);
          for (int threads : new int[] {1, 2, 3, 8, 16}) {
            Parallel.setThreads(threads);
            Parallel.recordDecomposition(true);
            float[] c = c0.clone();
            Kernels.gemm(op(ta), op(tb), m, n, k, alpha, a, 3, b, 5, 0.5f, c, 2);
            java.util.Set<String> how = Parallel.decomposition().keySet();
            Parallel.recordDecomposition(false);
            assertThat(c).as(threads + " threads, " + what).isEqualTo(expected);
            if (threads == 16) assertThat(how).as(what).containsExactly("GEMM " + m + "x" + n + "x" + k + ": k in " + parts + " parts");
          }
          double[] exact = reference(ta, tb, m, n, k, alpha, java.util.Arrays.copyOfRange(a, 3, a.length),
              java.util.Arrays.copyOfRange(b, 5, b.length), 0.5f, java.util.Arrays.copyOfRange(c0, 2, c0.length));
          for (int e = 0; e < m * n; e++) {
            assertThat((double) expected[2 + e]).as("C[%d] against double, %s", e, what).isCloseTo(exact[e],
                org.assertj.core.api.Assertions.within(1e-6 * k));
          }
        }
      }
    } finally {
      Parallel.recordDecomposition(false);
      Parallel.setOversubscribe(oversubscribed);
      Parallel.setThreads(before);
    }
  }

  /** GemmKernel's contract, element by element: c = beta c (0 when beta is 0), then c = fma(alpha a(i, p), b(p, j), c) for p in order. */
  private static void definition(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                                 float beta, float[] c, int cOff) {
    definition(ta, tb, m, n, k, k, alpha, a, aOff, b, bOff, beta, c, cOff, 0);
  }

  /** The same over p in [from, to) only, of matrices with k columns (A) and rows (B). */
  private static void definition(boolean ta, boolean tb, int m, int n, int k, int to, float alpha, float[] a, int aOff, float[] b,
                                 int bOff, float beta, float[] c, int cOff, int from) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = beta == 0f ? 0f : beta * c[cOff + i * n + j];
        for (int p = from; p < to; p++) {
          float av = a[aOff + (ta ? p * m + i : i * k + p)];
          float bv = b[bOff + (tb ? j * k + p : p * n + j)];
          sum = Math.fma(alpha * av, bv, sum);
        }
        c[cOff + i * n + j] = sum;
      }
    }
  }

  @Test
  void vectorAndScalarTwoByTwoMaxPoolingGiveIdenticalOutputsAndIndexes() {
    float[] delicate = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f, 2.5f, -2.5f,
        Float.MIN_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0xFFC00001)};
    java.util.Random random = new java.util.Random(7);
    for (int width = 2; width <= 40; width++) {
      for (int outW = Math.max(1, width / 2 - 2); outW <= width / 2; outW++) { // rows that use all columns, or not
        int rows = 6;
        float[] in = new float[rows * width + 3];
        for (int i = 0; i < in.length; i++) {
          in[i] = random.nextBoolean() ? delicate[random.nextInt(delicate.length)] : (float) random.nextGaussian();
        }
        int outputs = rows / 2 * outW;
        float[] vectorOut = new float[outputs + 1];
        float[] scalarOut = new float[outputs + 1];
        int[] vectorAt = new int[outputs + 1];
        int[] scalarAt = new int[outputs + 1];
        vectorOut[outputs] = scalarOut[outputs] = 42f; // a row's last step must not write past it
        for (int oh = 0; oh < rows / 2; oh++) {
          Kernels.maxPool2x2(in, 3 + 2 * oh * width, width, vectorOut, vectorAt, oh * outW, outW);
          Kernels.maxPool2x2Scalar(in, 3 + 2 * oh * width, width, scalarOut, scalarAt, oh * outW, outW);
        }
        String where = "width " + width + ", " + outW + " windows a row";
        for (int o = 0; o <= outputs; o++) { // a NaN stays a NaN (its payload is not promised), every other value keeps its bits
          assertThat(Float.floatToIntBits(vectorOut[o])).as(where + ", output " + o).isEqualTo(Float.floatToIntBits(scalarOut[o]));
        }
        assertThat(vectorAt).as(where).isEqualTo(scalarAt);
        assertThat(vectorOut[outputs]).isEqualTo(42f);
      }
    }
  }

  @Test
  void vectorAndScalarReluGiveIdenticalBits() {
    float[] x = random(1000, 3);
    x[5] = -0f;
    x[6] = 0f;
    x[7] = Float.NaN;
    x[8] = Float.NEGATIVE_INFINITY;
    x[9] = Float.MIN_VALUE;
    float[] go = random(1000, 4);
    go[10] = Float.POSITIVE_INFINITY;
    for (int len : new int[] {0, 1, 15, 16, 17, 999, 1000}) {
      float[] vector = new float[1000];
      float[] scalar = new float[1000];
      Kernels.relu(x, vector, len);
      Kernels.reluScalar(x, scalar, len);
      assertThat(vector).as("relu, len " + len).isEqualTo(scalar);
      Kernels.reluGradient(x, go, vector, len);
      Kernels.reluGradientScalar(x, go, scalar, len);
      assertThat(vector).as("relu gradient, len " + len).isEqualTo(scalar);
    }
    // long enough to be split between threads
    int before = Parallel.threads();
    try {
      Parallel.setThreads(2);
      float[] big = random(300_000, 5);
      float[] bigGo = random(300_000, 6);
      float[] vector = new float[big.length];
      float[] scalar = new float[big.length];
      Kernels.relu(big, vector, big.length);
      Kernels.reluScalar(big, scalar, big.length);
      assertThat(vector).isEqualTo(scalar);
      Kernels.reluGradient(big, bigGo, vector, big.length);
      Kernels.reluGradientScalar(big, bigGo, scalar, big.length);
      assertThat(vector).isEqualTo(scalar);
    } finally {
      Parallel.setThreads(before);
    }
    float[] out = new float[10];
    Kernels.relu(x, out, 10);
    assertThat(out[1]).isEqualTo(x[1] > 0 ? x[1] : 0f);
    assertThat(Float.floatToRawIntBits(out[5])).isZero(); // -0 gives +0
    assertThat(out[7]).isZero(); // NaN gives 0
    assertThat(out[9]).isEqualTo(Float.MIN_VALUE);
  }

  private static Kernels.Op op(boolean transposed) {
    return transposed ? TRANSPOSED : AS_IS;
  }

  /** The recurrent cells' sigmoid and tanh: vector and plain loops give the same bits, and both are within a few ulp of double precision. */
  @Test
  void vectorAndScalarSigmoidAndTanhGiveIdenticalBitsWithinThreeUlp() {
    int n = 200_003;
    float[] x = new float[n];
    java.util.Random random = new java.util.Random(17);
    for (int i = 0; i < n; i++) {
      // a sweep of [-30, 30] densest near 0, both sides of tanh's 0.625 switch, and the clamps
      x[i] = i % 3 == 0 ? (float) (random.nextGaussian() * 4) : i % 3 == 1 ? (i - n / 2) * 3e-4f : (float) (random.nextDouble() * 2 - 1);
    }
    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0.625f, -0.625f, Math.nextDown(0.625f), 87f, -87f, 88f, -88f,
        100f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    System.arraycopy(special, 0, x, 0, special.length);
    float[] sigmoid = x.clone();
    float[] sigmoidScalar = x.clone();
    float[] tanh = x.clone();
    float[] tanhScalar = x.clone();
    Kernels.sigmoid(sigmoid, 0, n);
    Kernels.sigmoidScalar(sigmoidScalar, 0, n);
    Kernels.tanh(tanh, 0, n);
    Kernels.tanhScalar(tanhScalar, 0, n);
    assertThat(sigmoid).isEqualTo(sigmoidScalar);
    assertThat(tanh).isEqualTo(tanhScalar);
    double worstSigmoid = 0;
    double worstTanh = 0;
    for (int i = 0; i < n; i++) {
      if (Math.abs(x[i]) > 80) continue; // sigmoid of the clamped argument is still the nearest float above 0
      float exactSigmoid = (float) (1 / (1 + Math.exp(-(double) x[i])));
      float exactTanh = (float) Math.tanh(x[i]);
      worstSigmoid = Math.max(worstSigmoid, Math.abs(sigmoid[i] - exactSigmoid) / Math.ulp(exactSigmoid));
      worstTanh = Math.max(worstTanh, Math.abs(tanh[i] - exactTanh) / Math.ulp(exactTanh));
    }
    assertThat(worstSigmoid).as("sigmoid's largest error in ulp").isLessThanOrEqualTo(3);
    assertThat(worstTanh).as("tanh's largest error in ulp").isLessThanOrEqualTo(3);
    assertThat(tanh[0]).isEqualTo(0f);
    assertThat(Float.floatToRawIntBits(tanh[1])).isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(sigmoid[0]).isEqualTo(0.5f);
    assertThat(tanh[15]).isEqualTo(1f);
    assertThat(tanh[16]).isEqualTo(-1f);
    assertThat(sigmoid[15]).isEqualTo(1f);
    assertThat(sigmoid[16]).isBetween(0f, 1e-37f);
    float[] nan = {Float.NaN, Float.NaN};
    Kernels.sigmoid(nan, 0, 1);
    Kernels.tanh(nan, 1, 2);
    assertThat(nan[0]).isNaN();
    assertThat(nan[1]).isNaN();
  }

  /**
   * Before a GEMM forks, the caller sizes every kernel thread's packing buffers for the largest chunk, so a kernel
   * thread that takes such a chunk for the first time in a later step allocates nothing there.
   */
  @Test
  void aSplitGemmSizesEveryKernelThreadsPanelBeforeItForks() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.gemmKernel().startsWith("vector"), "the vector kernel keeps panels");
    int before = Parallel.threads();
    try {
      Parallel.setThreads(4);
      int m = 256 + 48; // 19 blocks of 16 rows over 4 threads: chunks of 64 or 80 rows
      int n = 40;
      int k = 300;
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      float[] c = new float[m * n];
      java.util.Arrays.fill(a, 1f);
      java.util.Arrays.fill(b, 2f);
      Kernels.gemm(AS_IS, AS_IS, m, n, k, 0.5f, a, b, 0f, c); // alpha 0.5: A is packed
      for (int slot = 1; slot < 4; slot++) assertThat(VectorGemm.panelRows(slot)).as("kernel thread %d", slot).isGreaterThanOrEqualTo(80);
      assertThat(c[m * n - 1]).isEqualTo(0.5f * 2f * k);
    } finally {
      Parallel.setThreads(before);
    }
  }
}
