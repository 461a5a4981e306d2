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
 * Single-precision C = A B, n x n x n, one thread, side by side: Neurite's kernel, netlib's Java BLAS
 * (its Vector API implementation when the incubator module is present) and OpenBLAS from the
 * bytedeco jar. Time per multiply; GFLOP/s = 2 n^3 / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
  @Param({"256", "512", "1024", "2048"})
  public int n;

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
    Parallel.setThreads(threads);
    openblas.blas_set_num_threads(1);
    RandomStream r = new RandomStream(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
      b[i] = (float) r.nextGaussian();
    }
    pa = new FloatPointer(a);
    pb = new FloatPointer(b);
    pc = new FloatPointer(c);
  }

  @TearDown(Level.Trial)
  public void close() {
    pa.close();
    pb.close();
    pc.close();
  }

  @Benchmark
  public float[] neurite() {
    Kernels.gemm(false, false, n, n, n, 1f, a, b, 0f, c);
    return c;
  }

  @Benchmark
  public float[] netlibJava() {
    // column-major: C^T = B^T A^T is the same product of row-major arrays
    dev.ludovic.netlib.blas.JavaBLAS.getInstance().sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
    return c;
  }

  @Benchmark
  public FloatPointer openblasJar() {
    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
    return pc;
  }
}
