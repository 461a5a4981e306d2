package dev.neurite.bench;

import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-precision C = op(A) op(B), n x n x n, one thread, side by side: Neurite's kernel, netlib's Java BLAS
 * (its Vector API implementation when the incubator module is present) and OpenBLAS from the
 * bytedeco jar. Time per multiply; GFLOP/s = 2 m n k / time. The setup checks that the three agree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1) // the fork gets the launcher's JVM flags (neurite.jvmargs), as JMH passes on the host JVM's
public class GemmBench {
  /** Columns of C (and, unless m or k are given, its rows and the inner dimension). */
  @Param({"256", "512", "1024", "2048"})
  public int n;

  /** Rows of C, 0 for n: {@code -p m=128 -p n=256 -p k=784 -p op=nt} is the bench MLP's first layer, batch 128. */
  @Param({"0"})
  public int m;

  /** The inner dimension, 0 for n. */
  @Param({"0"})
  public int k;

  private int rows;
  private int inner;

  /**
   * Which operands are transposed, as stored: {@code nn} (C = A B), {@code nt} (C = A B^T: a dense
   * layer's forward pass, x W^T), {@code tn} (C = A^T B: its weight gradient).
   */
  @Param({"nn"})
  public String op;

  private boolean transA;
  private boolean transB;

  /** Neurite's threads (the peers always get one): {@code -p threads=2} shows how the kernel scales. */
  @Param({"1"})
  public int threads;

  private float[] a;
  private float[] b;
  private float[] c;
  private FloatPointer pa;
  private FloatPointer pb;
  private FloatPointer pc;

  @Setup(Level.Trial)
  public void setup() {
    if (!op.matches("[nt][nt]")) throw new IllegalArgumentException("op: nn, nt, tn or tt, not " + op);
    transA = op.charAt(0) == 't';
    transB = op.charAt(1) == 't';
    rows = m == 0 ? n : m;
    inner = k == 0 ? n : k;
    Parallel.setThreads(threads);
    openblas.blas_set_num_threads(1);
    RandomStream r = new RandomStream(1);
    a = new float[rows * inner];
    b = new float[inner * n];
    c = new float[rows * n];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    pa = new FloatPointer(a);
    pb = new FloatPointer(b);
    pc = new FloatPointer(c);
    float[] expected = neurite().clone();
    float[] fromOpenblas = new float[c.length];
    openblasJar().get(fromOpenblas);
    agree("openblasJar", expected, fromOpenblas);
    agree("netlibJava", expected, netlibJava());
  }

  /** The peers computed the same product (to float rounding): a wrong leading dimension would not. */
  private void agree(String peer, float[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > 1e-3f * (1 + Math.abs(expected[i])) * Math.sqrt(inner)) {
        throw new IllegalStateException(peer + " differs from neurite at " + i + ": " + actual[i] + " vs " + expected[i]);
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    pa.close();
    pb.close();
    pc.close();
  }

  @Benchmark
  public float[] neurite() {
    Kernels.gemm(transA ? Kernels.Op.TRANSPOSED : Kernels.Op.AS_IS, transB ? Kernels.Op.TRANSPOSED : Kernels.Op.AS_IS,
        rows, n, inner, 1f, a, b, 0f, c);
    return c;
  }

  @Benchmark
  public float[] netlibJava() {
    // column-major: C^T = B^T A^T is the same product of row-major arrays
    dev.ludovic.netlib.blas.JavaBLAS.getInstance().sgemm(transB ? "T" : "N", transA ? "T" : "N", n, rows, inner, 1f,
        b, transB ? inner : n, a, transA ? rows : inner, 0f, c, n);
    return c;
  }

  @Benchmark
  public FloatPointer openblasJar() {
    openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
        transB ? openblas.CblasTrans : openblas.CblasNoTrans, rows, n, inner, 1f, pa, transA ? rows : inner, pb, transB ? inner : n,
        0f, pc, n);
    return pc;
  }
}
