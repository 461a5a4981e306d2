package dev.neurite.bench;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./neurite bench {mlp|cnn} [--batch B] [--threads T] [--epochs E]}: trains the models of
 * {@code ../shared/bench/torch_bench.py} the same way (60000 synthetic MNIST-shaped samples from
 * N(0, 1), labels uniform in 0..9, contiguous batches, no shuffling, softmax cross-entropy, SGD lr 0.05
 * momentum 0.9), one warm-up epoch and then the median of the timed epochs, and prints the same
 * RESULT line.
 */
public final class TrainingBench {
  private static final int N = 60_000;
  private static final int D = 784;

  private TrainingBench() {}

  public static void main(String[] args) {
    String model = "mlp";
    int batch = 128;
    int threads = Runtime.getRuntime().availableProcessors();
    int epochs = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "mlp", "cnn" -> model = args[i];
        default -> {
          System.err.println("usage: ./neurite bench {mlp|cnn} [--batch B] [--threads T] [--epochs E]; unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    Parallel.setThreads(threads);
    System.out.printf(Locale.ROOT, "# neurite model=%s batch=%d threads=%d gemm=%s java=%s%n", model, batch, threads,
        Kernels.gemmKernel(), System.getProperty("java.version"));

    RandomStream random = new RandomStream(0);
    float[] x = new float[N * D];
    for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
    float[] y = new float[N];
    for (int i = 0; i < N; i++) y[i] = random.nextInt(10);

    ComponentRegistry registry = ComponentRegistry.discover(TrainingBench.class.getClassLoader());
    List<String> specs = model.equals("cnn")
        ? List.of("{type: reshape, shape: [1, 28, 28]}", "{type: conv2d, filters: 8, kernel_size: 3}", "relu",
            "{type: max_pool2d, kernel_size: 2}", "{type: conv2d, filters: 16, kernel_size: 3}", "relu",
            "{type: max_pool2d, kernel_size: 2}", "flatten", "{type: dense, units: 10}")
        : List.of("{type: dense, units: 256}", "relu", "{type: dense, units: 128}", "relu", "{type: dense, units: 10}");
    List<Layer> layers = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      paths.add("model.layers[" + i + "]");
      layers.add(component(registry, ComponentKind.LAYER, specs.get(i), paths.get(i)));
    }
    Model net = new Model(layers);
    net.build(Shape.of(D), paths, false);
    Loss loss = component(registry, ComponentKind.LOSS, "softmax_cross_entropy", "loss");
    Optimizer sgd = component(registry, ComponentKind.OPTIMIZER, "{type: sgd, lr: 0.05, momentum: 0.9}", "optimizer");

    Tensor[] xb = {Tensor.zeros(batch, D), Tensor.zeros(N % batch == 0 ? batch : N % batch, D)};
    Tensor[] yb = {Tensor.zeros(batch, 1), Tensor.zeros(xb[1].rows(), 1)};
    double[] rates = new double[epochs];
    long step = 0;
    for (int e = -1; e < epochs; e++) { // an epoch is timed as a whole; the norm below is computed after
      long t0 = System.nanoTime();
      double last = 0;
      for (int s = 0; s < N; s += batch) {
        int n = Math.min(batch, N - s);
        int which = n == batch ? 0 : 1;
        System.arraycopy(x, s * D, xb[which].data(), 0, n * D);
        System.arraycopy(y, s, yb[which].data(), 0, n);
        net.zeroGrad();
        Tensor out = net.forward(xb[which], Pass.TRAINING);
        last = loss.forward(out, yb[which]);
        net.backward(loss.backward());
        sgd.step(net.params(), new StepInfo(++step, e + 2));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double norm = 0;
      for (var p : net.params()) norm += Kernels.sumOfSquares(p.value().data());
      System.out.printf(Locale.ROOT, "%s epoch: %.2f s  %.0f samples/s  loss=%.4f  |params|=%.4f%n", e < 0 ? "warmup" : "timed", seconds,
          N / seconds, last, Math.sqrt(norm));
      if (e >= 0) rates[e] = N / seconds;
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    System.out.printf(Locale.ROOT, "RESULT neurite %s batch=%d threads=%d median_samples_per_s=%.0f best=%.0f%n",
        model, batch, threads, median, sorted[sorted.length - 1]);
    System.exit(0);
  }

  private static <T> T component(ComponentRegistry registry, ComponentKind<T> kind, String yaml, String path) {
    String name = yaml.startsWith("{type: ") ? yaml.substring(7, yaml.indexOf(',') > 0 ? yaml.indexOf(',') : yaml.indexOf('}')) : yaml;
    String params = yaml.startsWith("{type: ") && yaml.indexOf(',') > 0 ? yaml.substring(yaml.indexOf(',') + 1, yaml.length() - 1) : "";
    var type = registry.find(kind, name).orElseThrow(() -> new IllegalStateException("no " + kind + " " + name));
    return ComponentSpecs.create(registry, type, params, path, p -> RandomStream.derive(0, p));
  }
}
