package dev.neurite.bench;

import dev.neurite.nn.Model;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./neurite bench {mlp|cnn|lstm} [--batch B] [--threads T] [--epochs E]}: trains the models of
 * {@code ../shared/bench/torch_bench.py} the same way (60000 synthetic MNIST-shaped samples, 6400 for the lstm, from
 * N(0, 1), labels uniform in 0..9, contiguous batches, no shuffling, softmax cross-entropy, SGD lr 0.05
 * momentum 0.9), one warm-up epoch and then the median of the timed epochs, and prints the same
 * RESULT line, after a hash of the trained params' bits and the bytes allocated per step.
 */
public final class TrainingBench {
  /**
   * Bytes allocated so far by this thread and the threads whose names start with a prefix (the JVM's
   * per-thread counters; reading them allocates nothing). The threads are looked up at the first call.
   */
  static final class AllocationCounter {
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private final String prefix;
    private long[] ids;

    AllocationCounter(String prefix) {
      this.prefix = prefix;
    }

    long bytes() {
      if (ids == null) { // the kernel threads start with the first parallel kernel
        ids = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t == Thread.currentThread() || t.getName().startsWith(prefix))
            .mapToLong(Thread::getId).toArray();
      }
      long sum = 0;
      for (long id : ids) sum += Math.max(0, threads.getThreadAllocatedBytes(id));
      return sum;
    }
  }

  private static final int SAMPLES = 60_000;
  private static final int D = 784;

  private TrainingBench() {}

  /** The square GEMM whose single-thread speed the lstm's is compared with. */
  private static final int GEMM_SIZE = 512;

  /** C = A B^T (a dense layer's forward product), 512 x 512 x 512 on one thread: the median GFLOP/s of 15 runs after 10 warm-ups. */
  private static double gemmGflopsOnOneThread() {
    int threads = Parallel.threads();
    Parallel.setThreads(1);
    try {
      int n = GEMM_SIZE;
      RandomStream random = new RandomStream(1);
      float[] a = new float[n * n];
      float[] b = new float[n * n];
      float[] c = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
        b[i] = (float) random.nextGaussian();
      }
      double[] rates = new double[15];
      for (int r = -10; r < rates.length; r++) {
        long t0 = System.nanoTime();
        Kernels.gemm(Kernels.Op.AS_IS, Kernels.Op.TRANSPOSED, n, n, n, 1f, a, b, 0f, c);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r >= 0) rates[r] = 2.0 * n * n * n / seconds / 1e9;
      }
      Arrays.sort(rates);
      return rates[rates.length / 2];
    } finally {
      Parallel.setThreads(threads);
    }
  }

  /** One training step on a batch: its loss. */
  private static double trainStep(Model net, Loss loss, Optimizer sgd, Tensor x, Tensor y, StepInfo info) {
    net.zeroGrad();
    Tensor out = net.forward(x, Pass.TRAINING);
    double value = loss.forward(out, y);
    net.backward(loss.backward());
    sgd.step(net.params(), info);
    return value;
  }

  public static void main(String[] args) {
    String model = "mlp";
    int batch = 0; // 0: the model's own, 64 for the lstm (as ../shared/bench/run-torch.sh lstm 64), else 128
    int threads = Runtime.getRuntime().availableProcessors();
    int epochs = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "mlp", "cnn", "lstm" -> model = args[i];
        default -> {
          System.err.println("usage: ./neurite bench {mlp|cnn|lstm} [--batch B] [--threads T] [--epochs E]; unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (batch == 0) batch = model.equals("lstm") ? 64 : 128;
    Parallel.setThreads(threads);
    System.out.printf(Locale.ROOT, "# neurite model=%s batch=%d threads=%d gemm=%s java=%s%n", model, batch, threads,
        Kernels.gemmKernel(), System.getProperty("java.version"));

    final int N = model.equals("lstm") ? 6_400 : SAMPLES; // as torch_bench.py: recurrences are slow on CPU
    if (batch < 1 || batch > N) {
      System.err.printf(Locale.ROOT, "--batch must be 1 to %d (the %s bench's samples), got %d%n", N, model, batch);
      System.exit(2);
    }
    RandomStream random = new RandomStream(0);
    float[] x = new float[N * D];
    for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
    float[] y = new float[N];
    for (int i = 0; i < N; i++) y[i] = random.nextInt(10);

    BenchModels.Net bench = BenchModels.build(model);
    Model net = bench.model();
    Loss loss = bench.loss();
    Optimizer sgd = bench.optimizer();

    Tensor[] xb = {Tensor.zeros(batch, D), Tensor.zeros(N % batch == 0 ? batch : N % batch, D)};
    Tensor[] yb = {Tensor.zeros(batch, 1), Tensor.zeros(xb[1].rows(), 1)};
    double[] rates = new double[epochs];
    long step = 0;
    StepInfo stepInfo = new StepInfo(0, 0);
    AllocationCounter allocation = new AllocationCounter("neurite-kernel");
    long allocatedBytes = 0;
    long countedSteps = 0;
    long cleanSteps = 0;
    // With one thread, one more epoch after the timed ones measures the serial fraction: the share of each step's
    // time outside the work that more threads would split (Parallel.profile). Only steady steps count: full batches
    // after a full batch (an epoch's first step follows the smaller last batch of the one before, whose buffers
    // the layers have just switched from)
    int lastEpoch = threads == 1 ? epochs : epochs - 1;
    long hash = 1125899906842597L;
    long profiledSteps = 0;
    long stepNanos = 0;
    Parallel.Profile profiled = Parallel.Profile.NONE; // the counted steps' parallel nanoseconds, GEMMs, range jobs and pairs
    for (int e = -1; e <= lastEpoch; e++) { // an epoch is timed as a whole; the norm below is computed after
      boolean profiling = e == epochs;
      if (profiling) Parallel.profile(true);
      long t0 = System.nanoTime();
      double last = 0;
      for (int s = 0; s < N; s += batch) {
        int n = Math.min(batch, N - s);
        int which = n == batch ? 0 : 1;
        System.arraycopy(x, s * D, xb[which].data(), 0, n * D);
        System.arraycopy(y, s, yb[which].data(), 0, n);
        long before = e >= 0 ? allocation.bytes() : 0;
        Parallel.Profile regionsBefore = profiling ? Parallel.profiled() : null;
        long stepStart = System.nanoTime();
        last = trainStep(net, loss, sgd, xb[which], yb[which], stepInfo.set(++step, e + 2, 1.0)); // reused, as the trainer does
        if (profiling) {
          long stepEnd = System.nanoTime();
          Parallel.Profile regions = Parallel.profiled();
          if (n == batch && s > 0) {
            stepNanos += stepEnd - stepStart;
            profiledSteps++;
            profiled = profiled.plus(regions.since(regionsBefore));
          }
          continue;
        }
        // every step of the timed epochs at the full batch size, the first after a smaller last batch
        // included (the layers switch back to the buffers they kept for the full size)
        if (e >= 0 && n == batch) {
          long bytes = allocation.bytes() - before;
          allocatedBytes += bytes;
          countedSteps++;
          if (bytes == 0) cleanSteps++;
        }
      }
      if (profiling) break;
      double seconds = (System.nanoTime() - t0) / 1e9;
      double norm = 0;
      for (var p : net.params()) norm += Kernels.sumOfSquares(p.value().data());
      System.out.printf(Locale.ROOT, "%s epoch: %.2f s  %.0f samples/s  loss=%.4f  |params|=%.4f%n", e < 0 ? "warmup" : "timed", seconds,
          N / seconds, last, Math.sqrt(norm));
      if (e >= 0) rates[e] = N / seconds;
      if (e == epochs - 1) { // the params' bits after the timed epochs: equal across thread counts and kernels
        for (var p : net.params()) {
          for (float v : p.value().data()) hash = 31 * hash + Float.floatToRawIntBits(v);
        }
      }
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    System.out.printf(Locale.ROOT, "params: %016x (a hash of their bits; the same for any --threads and kernel)%n", hash);
    System.out.printf(Locale.ROOT, "allocated: %.1f bytes per step (training and kernel threads, %d full batches of the timed epochs, %d of them allocated nothing)%n",
        countedSteps == 0 ? 0.0 : (double) allocatedBytes / countedSteps, countedSteps, cleanSteps);
    Parallel.profile(false);
    if (threads == 1 && profiledSteps == 0) {
      System.out.println("serial fraction: not measured (an epoch has no full batch after a full batch: use a smaller --batch)");
    } else if (threads == 1) {
      double serial = 1 - (double) profiled.parallelNanos() / stepNanos;
      System.out.printf(Locale.ROOT, "serial fraction: %.1f %% of a step outside the work that threads split (the %d steady steps of one "
          + "profiled epoch; per step: %.1f GEMMs, %.1f range jobs, %.1f pairs); Amdahl: at most %.1fx on 16 threads, %.1fx on 64%n", 100 * serial,
          profiledSteps, (double) profiled.gemms() / profiledSteps, (double) profiled.ranges() / profiledSteps, (double) profiled.pairs() / profiledSteps,
          1 / (serial + (1 - serial) / 16), 1 / (serial + (1 - serial) / 64));
    }
    if (threads > 1) {
      Parallel.Usage usage = Parallel.usage();
      System.out.printf(Locale.ROOT, "parallel jobs: %d forked, %d run on the calling thread alone (%s)%n", usage.forked(), usage.onCaller(),
          Parallel.adaptive() ? "adaptive: whether forking pays is measured" : "-Dneurite.adaptiveThreads=false: always forked");
      // one more step, recording how each parallel job is split
      Parallel.recordDecomposition(true);
      trainStep(net, loss, sgd, xb[0], yb[0], stepInfo.set(++step, epochs + 2, 1.0));
      Parallel.recordDecomposition(false);
      System.out.printf(Locale.ROOT, "decomposition: %d threads asked for, %d running (%d processors%s); one step's parallel jobs:%n",
          threads, Parallel.running(), Parallel.processors(), Parallel.oversubscribe() ? ", -Dneurite.oversubscribe=true" : "");
      Parallel.decomposition().forEach((how, times) -> System.out.printf(Locale.ROOT, "  %2dx %s%n", times, how));
    }
    if (model.equals("lstm")) {
      // the count: 4 H (I + H) multiply-adds per step and sample forward, three times that for training
      int h = BenchModels.LSTM_UNITS;
      double flops = 2.0 * 4 * h * (BenchModels.LSTM_STEPS + h) * BenchModels.LSTM_STEPS * 3;
      double gemm = gemmGflopsOnOneThread();
      System.out.printf(Locale.ROOT, "lstm: %.1f GFLOP/s over the training step (%.1f MFLOP per sample); this JVM's GEMM on one thread: "
          + "%.1f GFLOP/s (%d x %d x %d); ratio %.2f%n", median * flops / 1e9, flops / 1e6, gemm, GEMM_SIZE, GEMM_SIZE,
          GEMM_SIZE, median * flops / 1e9 / gemm);
    }
    System.out.printf(Locale.ROOT, "RESULT neurite %s batch=%d threads=%d median_samples_per_s=%.0f best=%.0f%n",
        model, batch, threads, median, sorted[sorted.length - 1]);
    System.exit(0);
  }
}
