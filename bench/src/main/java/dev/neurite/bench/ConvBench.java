package dev.neurite.bench;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
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

/**
 * One conv2d layer, forward and backward (weight, bias and input gradients), at the shapes of the
 * bench CNN: conv 1-8 3x3 on [1, 28, 28] and conv 8-16 3x3 on [8, 13, 13], batch 64. Other shapes:
 * {@code -p shape=CxHxW-F[-kK][-pP]} (K: kernel size, default 3; P: padding, default 0), e.g. the
 * LeNet-5 of configs/mnist-cnn.yaml: {@code 1x28x28-6-k5-p2,6x14x14-16-k5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1) // the fork gets the launcher's JVM flags (neurite.jvmargs), as JMH passes on the host JVM's
public class ConvBench {
  @Param({"1x28x28-8", "8x13x13-16"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private Model conv;
  private Tensor x;
  private Tensor gradOut;

  @Setup(Level.Trial)
  public void setup() {
    Parallel.setThreads(threads);
    String[] parts = shape.split("[x-]");
    int c = Integer.parseInt(parts[0]);
    int h = Integer.parseInt(parts[1]);
    int w = Integer.parseInt(parts[2]);
    int kernel = 3;
    int padding = 0;
    for (int i = 4; i < parts.length; i++) { // -kK: kernel size, -pP: padding
      if (parts[i].startsWith("k")) kernel = Integer.parseInt(parts[i].substring(1));
      else if (parts[i].startsWith("p")) padding = Integer.parseInt(parts[i].substring(1));
      else throw new IllegalArgumentException("shape " + shape + ": expected CxHxW-F[-kK][-pP]");
    }
    ComponentRegistry registry = ComponentRegistry.discover(ConvBench.class.getClassLoader());
    // built with the input gradient on, as for the CNN's second conv
    Layer layer = BenchModels.component(registry, ComponentKind.LAYER, "{type: conv2d, filters: " + parts[3] + ", kernel_size: " + kernel + ", padding: " + padding + "}",
        "model.layers[0]");
    conv = new Model(List.of(layer));
    conv.build(Shape.of(c, h, w), List.of("model.layers[0]"), true);
    RandomStream r = new RandomStream(3);
    x = Tensor.zeros(Shape.of(64, c, h, w));
    for (int i = 0; i < x.size(); i++) x.set(i, (float) r.nextGaussian());
    Tensor out = conv.forward(x, Pass.TRAINING);
    gradOut = Tensor.zeros(out.shape());
    for (int i = 0; i < gradOut.size(); i++) gradOut.set(i, (float) r.nextGaussian());
  }

  @Benchmark
  public Tensor forwardBackward() {
    conv.zeroGrad();
    conv.forward(x, Pass.TRAINING);
    return conv.backward(gradOut);
  }
}
