package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The thread count never changes a bit: the benchmark MLP (784-256-128-10) at batch 1024 and the benchmark CNN at
 * batch 64 train to the same parameter bits with 1, 2, 3, 8 and 16 kernel threads. The tests run every thread asked
 * for even past this machine's processors ({@code neurite.oversubscribe} in the build), and check from the recorded
 * decomposition that the work really was split that finely.
 */
class ThreadCountTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));
  private static final int[] THREADS = {1, 2, 3, 8, 16};
  private final int threadsBefore = Parallel.threads();
  private final boolean oversubscribedBefore = Parallel.oversubscribe();

  @AfterEach
  void restore() {
    Parallel.setOversubscribe(oversubscribedBefore);
    Parallel.setThreads(threadsBefore);
  }

  private static <T> T component(ComponentKind<T> kind, String type, String params, String path) {
    return ComponentSpecs.create(REGISTRY, REGISTRY.find(kind, type).orElseThrow(), params, path, p -> RandomStream.derive(3, p));
  }

  /** Trains {@code steps} SGD steps (momentum, as the bench) on N(0, 1) inputs and returns the params' bits, all of them in order. */
  private static List<Integer> trainedBits(List<String> layers, int batch, int steps) {
    List<Layer> built = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String[] typeAndParams = layers.get(i).split(":", 2);
      paths.add("model.layers[" + i + "]");
      built.add(component(ComponentKind.LAYER, typeAndParams[0].trim(), typeAndParams.length > 1 ? typeAndParams[1].trim() : "", paths.get(i)));
    }
    Model model = new Model(built);
    model.build(Shape.of(784), paths);
    Loss loss = component(ComponentKind.LOSS, "softmax_cross_entropy", "", "loss");
    Optimizer sgd = component(ComponentKind.OPTIMIZER, "sgd", "lr: 0.05, momentum: 0.9", "optimizer");
    RandomStream random = new RandomStream(11);
    Tensor x = Tensor.zeros(batch, 784);
    Tensor y = Tensor.zeros(batch, 1);
    StepInfo info = new StepInfo(0, 0);
    for (int step = 1; step <= steps; step++) {
      for (int i = 0; i < x.size(); i++) x.data()[i] = (float) random.nextGaussian();
      for (int i = 0; i < batch; i++) y.data()[i] = random.nextInt(10);
      model.zeroGrad();
      loss.forward(model.forward(x, Pass.TRAINING), y);
      model.backward(loss.backward());
      sgd.step(model.params(), info.set(step, 1, 1.0));
    }
    List<Integer> bits = new ArrayList<>();
    for (Param p : model.params()) {
      for (float v : p.value().data()) bits.add(Float.floatToRawIntBits(v));
    }
    return bits;
  }

  /** The params' bits for each thread count, and the decomposition of the last step with the most threads. */
  private static Map<String, Integer> assertSameBitsForEveryThreadCount(List<String> layers, int batch, int steps) {
    Parallel.setOversubscribe(true);
    List<Integer> oneThread = null;
    Map<String, Integer> decomposition = Map.of();
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      Parallel.recordDecomposition(threads == THREADS[THREADS.length - 1]);
      List<Integer> bits = trainedBits(layers, batch, steps);
      decomposition = Parallel.decomposition();
      Parallel.recordDecomposition(false);
      if (oneThread == null) oneThread = bits;
      else assertThat(bits).as("params after %d steps with %d threads vs 1", steps, threads).isEqualTo(oneThread);
    }
    return decomposition;
  }

  @Test
  void theBenchMlpAtBatch1024TrainsToTheSameBitsOnOneToSixteenThreads() {
    Map<String, Integer> split = assertSameBitsForEveryThreadCount(
        List.of("dense: units: 256", "relu", "dense: units: 128", "relu", "dense: units: 10"), 1024, 3);
    assertThat(split.keySet()).as("16 threads: each GEMM of the first layer in 16 blocks")
        .contains("GEMM 1024x256x784: C in 16 x 1 blocks", "GEMM 256x784x1024: C in 16 x 1 blocks");
    assertThat(split.keySet()).as("the loss and the bias sums split over rows and columns")
        .contains("SoftmaxCrossEntropy: 1024 items in 16 ranges", "RowSplit: 256 items in 16 ranges");
  }

  @Test
  void theBenchMlpAtBatch4096SumsItsSmallestWeightGradientInPartsOfTheBatchToTheSameBits() {
    Map<String, Integer> split = assertSameBitsForEveryThreadCount(
        List.of("dense: units: 256", "relu", "dense: units: 128", "relu", "dense: units: 10"), 4096, 2);
    assertThat(split.keySet()).as("the 10-class weight gradient (C of 4 blocks) summed over 4 parts of the batch")
        .contains("GEMM 10x128x4096: k in 4 parts");
  }

  @Test
  void theBenchCnnAtBatch64TrainsToTheSameBitsOnOneToSixteenThreads() {
    Map<String, Integer> split = assertSameBitsForEveryThreadCount(List.of("reshape: shape: [1, 28, 28]", "conv2d: filters: 8, kernel_size: 3",
        "relu", "max_pool2d: kernel_size: 2", "conv2d: filters: 16, kernel_size: 3", "relu", "max_pool2d: kernel_size: 2", "flatten",
        "dense: units: 10"), 64, 3);
    assertThat(split.keySet()).as("16 threads: samples and pooling planes split 16 ways")
        .contains("Conv2d: 64 items in 16 ranges", "MaxPool2d: 512 items in 16 ranges");
  }
}
