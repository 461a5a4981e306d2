package dev.neurite.bench;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;

import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * A dense layer's two backward products, dW += g^T x and dx = g W, for the bench MLP's second layer
 * (256 inputs, 128 units): {@code split} runs them one after the other, each GEMM split between the
 * threads; {@code both} runs them through {@link Parallel#both}, each whole on one thread (what
 * {@code dense} does). Every job is forked (no {@code ForkGate}), so the comparison is of the two
 * ways of forking; the setup checks that both give the same bits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1) // the fork gets the launcher's JVM flags (neurite.jvmargs), as JMH passes on the host JVM's
public class DenseBackwardBench {
  @Param({"32", "128"})
  public int batch;

  @Param({"128"})
  public int units;

  @Param({"256"})
  public int inputs;

  @Param({"2"})
  public int threads;

  private boolean adaptiveBefore;
  private float[] g;
  private float[] x;
  private float[] w;
  private float[] dw;
  private float[] dx;
  private final Runnable weightGradient = this::weightGradient;
  private final Runnable inputGradient = this::inputGradient;

  @Setup(Level.Trial)
  public void setup() {
    adaptiveBefore = Parallel.adaptive();
    Parallel.setThreads(threads);
    Parallel.setAdaptive(false);
    RandomStream r = new RandomStream(1);
    g = gaussian(r, batch * units);
    x = gaussian(r, batch * inputs);
    w = gaussian(r, units * inputs);
    dw = new float[units * inputs];
    dx = new float[batch * inputs];
    split();
    float[] dwSplit = dw.clone();
    float[] dxSplit = dx.clone();
    Arrays.fill(dw, 0f);
    both();
    if (!Arrays.equals(dw, dwSplit) || !Arrays.equals(dx, dxSplit)) throw new IllegalStateException("both() changed the bits");
  }

  @TearDown(Level.Trial)
  public void restore() {
    Parallel.setAdaptive(adaptiveBefore);
  }

  private static float[] gaussian(RandomStream r, int length) {
    float[] v = new float[length];
    for (int i = 0; i < length; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  private void weightGradient() {
    Kernels.gemm(TRANSPOSED, AS_IS, units, inputs, batch, 1f, g, x, 1f, dw);
  }

  private void inputGradient() {
    Kernels.gemm(AS_IS, AS_IS, batch, inputs, units, 1f, g, w, 0f, dx);
  }

  @Benchmark
  public float[] split() {
    weightGradient();
    inputGradient();
    return dx;
  }

  @Benchmark
  public float[] both() {
    Parallel.both(weightGradient, inputGradient);
    return dx;
  }
}
