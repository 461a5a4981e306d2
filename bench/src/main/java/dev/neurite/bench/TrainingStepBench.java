package dev.neurite.bench;

import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Tensor;
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
import org.openjdk.jmh.annotations.Warmup;

/** One training step of the bench MLP or CNN (forward, loss, backward, SGD step) on a fixed random batch. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1) // the fork gets the launcher's JVM flags (neurite.jvmargs), as JMH passes on the host JVM's
public class TrainingStepBench {
  @Param({"mlp", "cnn"})
  public String model;

  @Param({"32", "128"})
  public int batch;

  @Param({"1", "2"})
  public int threads;

  private BenchModels.Net net;
  private Tensor x;
  private Tensor y;
  private long step;
  private final StepInfo stepInfo = new StepInfo(0, 0);

  @Setup(Level.Trial)
  public void setup() {
    Parallel.setThreads(threads);
    net = BenchModels.build(model);
    RandomStream r = new RandomStream(0);
    x = Tensor.zeros(batch, BenchModels.INPUT);
    y = Tensor.zeros(batch, 1);
    for (int i = 0; i < x.size(); i++) x.set(i, (float) r.nextGaussian());
    for (int i = 0; i < batch; i++) y.set(i, r.nextInt(10));
  }

  @Benchmark
  public double step() {
    net.model().zeroGrad();
    Tensor out = net.model().forward(x, Pass.TRAINING);
    double loss = net.loss().forward(out, y);
    net.model().backward(net.loss().backward());
    net.optimizer().step(net.model().params(), stepInfo.set(++step, 1, 1.0)); // reused, as the trainer does
    return loss;
  }
}
