package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training reuses its buffers: once warm, a batch creates no tensor, on any thread, with one or two
 * kernel threads, through the whole pipeline (loader, model, loss, optimizer, metrics). Counted with
 * {@link Tensor#created()} between batches of one epoch (an epoch's end evaluates and may create
 * some), which does not depend on how the JIT compiled the loop. That the compiled step allocates
 * no bytes at all is measured in docs/performance.md (JMH {@code -prof gc}).
 */
class SteadyStateAllocationTest {
  private final int threadsBefore = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(threadsBefore);
  }

  /**
   * Bytes, not just tensors: the JVM's per-thread counters of the training, kernel and prefetch
   * threads, read after each batch, must not move at all once training is warm, through the loader
   * and its prefetch thread, batch norm, dropout, the loss, L2, clipping, a schedule, Adam and the
   * metrics, with one and two threads. The model has no dense or conv layer and no ReLU on purpose:
   * the Vector API kernels allocate until C2 has compiled them, which depends on the JIT's timing;
   * every other piece of code allocates nothing even interpreted, so this check does not depend on
   * the JIT. ({@code ./neurite bench alloc} measures whole configs, kernels included, in
   * docs/performance.md.) A new StepInfo per step, a for-each over the regularizers or a
   * blocking queue's node per wait each makes every batch allocate and fails it.
   */
  @Test
  void warmBatchesAllocateNoBytesOutsideTheVectorKernels(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("norm.yaml");
    Files.writeString(config, """
        name: allocation-bytes
        data: {source: {type: synthetic, kind: blobs, samples: 2048, features: 4, classes: 4}}
        model:
          layers: [batch_norm, {type: dropout, rate: 0.1}, tanh, batch_norm]
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        regularizers: [{type: l2, lambda: 0.0001}]
        schedule: {type: step, step_size: 2, gamma: 0.5}
        training: {epochs: 5, batch_size: 32, shuffle: true, clip_norm: 1.0}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesAllocateNoBytes(config);
  }

  /** The same with each batch's gradient in 4 groups (training.gradient_groups): the groups' slices, leaves and tree reuse their buffers. */
  @Test
  void warmBatchesInGradientGroupsAllocateNoBytes(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("groups.yaml");
    Files.writeString(config, """
        name: allocation-groups
        data: {source: {type: synthetic, kind: blobs, samples: 2048, features: 4, classes: 4}}
        model:
          layers: [batch_norm, {type: dropout, rate: 0.1}, tanh, batch_norm]
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        regularizers: [{type: l2, lambda: 0.0001}]
        training: {epochs: 5, batch_size: 32, shuffle: true, clip_norm: 1.0, gradient_groups: 4}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesAllocateNoBytes(config);
  }

  /** The same through a branching model: a tensor read by two layers, add and concat, forward and backward. */
  @Test
  void aBranchingModelsWarmBatchesAllocateNoBytes(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("branches.yaml");
    Files.writeString(config, """
        name: allocation-branches
        data: {source: {type: synthetic, kind: blobs, samples: 2048, features: 4, classes: 8}}
        model:
          layers:
            - {type: batch_norm, name: normed}
            - {type: tanh, name: squashed}
            - {type: add, inputs: [normed, squashed], name: sum}
            - {type: concat, inputs: [sum, squashed]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.01, momentum: 0.9}
        training: {epochs: 5, batch_size: 32, shuffle: true}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesAllocateNoBytes(config);
  }

  /** A padding mask from an embedding to two layers that end it, merged: no byte per batch (no vector kernel in the model). */
  @Test
  void aPaddingMasksWarmBatchesAllocateNoBytes(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("masked.yaml");
    Files.writeString(config, """
        name: allocation-masked
        data: {source: {type: synthetic, kind: parity, samples: 2048, length: 12}, split: {train: 1.0}}
        model:
          layers:
            - {type: reshape, shape: [12]}
            - {type: embedding, vocabulary: 2, dimension: 2, padding_index: 0, name: tokens}
            - {type: last, inputs: [tokens], name: final}
            - {type: global_max_pool1d, inputs: [tokens], name: largest}
            - {type: add, inputs: [final, largest]}
            - batch_norm
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 5, batch_size: 32, shuffle: true}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesAllocateNoBytes(config);
  }

  /**
   * The kernels too, at small and large batches: dense layers and ReLU (the bench MLP's kinds of layer, whose GEMMs,
   * bias sums, elementwise passes and loss split between threads at the larger sizes) allocate nothing per batch at
   * batch 32, 128, 1024 and 4096, once the JIT has compiled them (the first two epochs are not counted, and a run trains again
   * while the SIMD kernels still allocate, for up to a minute).
   */
  @ParameterizedTest(name = "batch {0}")
  @ValueSource(ints = {32, 128, 1024, 4096})
  void aDenseModelsWarmBatchesAllocateNoBytesAtAnyBatchSize(int batch, @TempDir Path dir) throws IOException {
    Path config = dir.resolve("dense.yaml");
    Files.writeString(config, """
        name: allocation-dense
        data: {source: {type: synthetic, kind: blobs, samples: %d, features: 64, classes: 10}, split: {train: 1.0}}
        model:
          layers: [{type: dense, units: 128}, relu, {type: dense, units: 64}, relu, {type: dense, units: 10}]
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.01, momentum: 0.9}
        training: {epochs: 5, batch_size: %d, shuffle: true}
        metrics: [loss, accuracy]
        """.formatted(16 * batch, batch));
    assertWarmBatchesAllocateNoBytes(config, 16, 3, true);
  }

  /**
   * The bench CNN's layers at batch 64: the convolutions' GEMMs (whose B strips are copied with vector loads and stores),
   * im2col and col2im, pooling and the dense layer allocate nothing per batch once compiled.
   */
  @Test
  void aConvolutionModelsWarmBatchesAllocateNoBytes(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cnn-bytes.yaml");
    Files.writeString(config, """
        name: allocation-cnn
        data: {source: {type: synthetic, kind: blobs, samples: 1024, features: 784, classes: 10}, split: {train: 1.0}}
        model:
          layers:
            - {type: reshape, shape: [1, 28, 28]}
            - {type: conv2d, filters: 8, kernel_size: 3}
            - relu
            - {type: max_pool2d, kernel_size: 2}
            - {type: conv2d, filters: 16, kernel_size: 3}
            - relu
            - {type: max_pool2d, kernel_size: 2}
            - flatten
            - {type: dense, units: 10}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.01}
        training: {epochs: 5, batch_size: 64, shuffle: true}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesAllocateNoBytes(config, 16, 3, true);
  }

  private void assertWarmBatchesAllocateNoBytes(Path config) throws IOException {
    assertWarmBatchesAllocateNoBytes(config, 64, 2, false);
  }

  /**
   * Epochs {@code firstCounted} to 5 of {@code batches} batches each: all but the first and the last two allocate nothing
   * (3 may, for the JIT). With {@code untilCompiled}, a run that fails is trained again, for up to a minute: C2 compiles
   * in the background, so how many steps run before the SIMD kernels stop allocating depends on the machine's load. A
   * kernel that allocates on every step fails every run.
   */
  private void assertWarmBatchesAllocateNoBytes(Path config, int batches, int firstCounted, boolean untilCompiled) throws IOException {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin()));
    for (int threads : new int[] {1, 2}) {
      Parallel.setThreads(threads);
      long deadline = System.nanoTime() + 60_000_000_000L;
      String problem;
      do {
        problem = allocatingEpoch(allocatedPerBatch(Experiment.prepare(new ExperimentLoader(registry).load(config)), batches), firstCounted);
      } while (problem != null && untilCompiled && System.nanoTime() < deadline);
      assertThat(problem).as("%d threads", threads).isNull();
    }
  }

  /** Bytes the training, kernel and prefetch threads allocated in each batch of each of 5 epochs. */
  private static long[][] allocatedPerBatch(Experiment experiment, int batches) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long[][] bytes = new long[5][batches]; // made up front: the listener allocates nothing either
    new Trainer(experiment).fit(List.of(new TrainingListener() {
      private long[] ids;
      private long before;

      private long allocated() {
        if (ids == null) { // the training thread, the kernel threads, the prefetch thread
          ids = Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t == Thread.currentThread() || t.getName().startsWith("neurite-"))
              .mapToLong(Thread::getId).toArray();
        }
        long sum = 0;
        for (long id : ids) sum += mx.getThreadAllocatedBytes(id);
        return sum;
      }

      @Override
      public void onBatch(int epoch, int batch, double meanLoss) {
        long now = allocated();
        bytes[epoch - 1][batch - 1] = now - before;
        before = allocated();
      }
    }));
    return bytes;
  }

  /** The first counted epoch in which more than 3 batches allocated, described, or null. */
  private static String allocatingEpoch(long[][] bytes, int firstCounted) {
    // batches 2 to n - 2: the first is counted with the evaluation at the end of the epoch before, and
    // the last two hold the prefetch thread's wait for the next epoch
    // (an ArrayBlockingQueue node, once per epoch). A batch now and then allocates a few hundred
    // bytes when the JIT recompiles something; an object per batch would leave no batch at zero.
    for (int epoch = firstCounted; epoch <= bytes.length; epoch++) {
      long[] counted = java.util.Arrays.copyOfRange(bytes[epoch - 1], 1, bytes[epoch - 1].length - 2);
      long clean = java.util.Arrays.stream(counted).filter(b -> b == 0).count();
      if (clean < counted.length - 3) {
        return "epoch " + epoch + ": " + clean + " of " + counted.length + " batches allocated nothing; bytes per batch: "
            + java.util.Arrays.toString(counted);
      }
    }
    return null;
  }

  @Test
  void aWarmTrainingBatchCreatesNoTensorWithOneOrTwoThreads(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cnn.yaml");
    // 2048 samples in batches of 32: 64 batches an epoch, all of one size
    Files.writeString(config, """
        name: allocation
        data: {source: {type: synthetic, kind: blobs, samples: 2048, features: 144, classes: 4}}
        model:
          layers:
            - {type: reshape, shape: [1, 12, 12]}
            - {type: conv2d, filters: 8, kernel_size: 3, activation: relu}
            - {type: max_pool2d, kernel_size: 2}
            - flatten
            - {type: dense, units: 32, activation: relu}
            - {type: dense, units: 4}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.01, momentum: 0.9}
        training: {epochs: 3, batch_size: 32, shuffle: true}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesCreateNoTensor(config);
  }

  /** A padding mask through a causal convolution, attention and a bidirectional recurrence, with per-step targets. */
  @Test
  void aMaskedSequenceModelsWarmBatchCreatesNoTensor(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("masked-rnn.yaml");
    Files.writeString(config, """
        name: allocation-masked-rnn
        data: {source: {type: synthetic, kind: copy_memory, samples: 1024, length: 4}, split: {train: 1.0}}
        model:
          layers:
            - {type: embedding, vocabulary: 10, dimension: 6, padding_index: 0}
            - {type: conv1d, filters: 6, kernel_size: 3, causal: true}
            - {type: transformer_encoder, heads: 2, feedforward: 8}
            - {type: lstm, units: 5, bidirectional: true, return_sequences: true}
            - {type: dense, units: 10}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32, shuffle: true}
        metrics: [loss, accuracy]
        """);
    assertWarmBatchesCreateNoTensor(config);
  }

  /** The sequence layers: convolution and pooling over time, attention, recurrent layers stacked and in both directions, dense on every step. */
  @Test
  void aRecurrentModelsWarmBatchCreatesNoTensor(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("rnn.yaml");
    Files.writeString(config, """
        name: allocation-rnn
        data: {source: {type: synthetic, kind: adding, samples: 2048, length: 12}, split: {train: 1.0}}
        model:
          layers:
            - {type: conv1d, filters: 4, kernel_size: 3, causal: true}
            - {type: max_pool1d, kernel_size: 2}
            - positional_encoding
            - {type: multi_head_attention, heads: 2, causal: true}
            - {type: transformer_encoder, heads: 2, feedforward: 8, norm_first: true}
            - {type: lstm, units: 8, layers: 2, bidirectional: true, return_sequences: true}
            - {type: dense, units: 6, activation: tanh}
            - {type: gru, units: 5, return_sequences: true}
            - {type: simple_rnn, units: 4, bidirectional: true}
            - {type: dense, units: 1}
        loss: mse
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32, shuffle: true, clip_norm: 1.0}
        metrics: [loss]
        """);
    assertWarmBatchesCreateNoTensor(config);
  }

  private void assertWarmBatchesCreateNoTensor(Path config) throws IOException {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin()));
    for (int threads : new int[] {1, 2}) {
      Parallel.setThreads(threads);
      Experiment experiment = Experiment.prepare(new ExperimentLoader(registry).load(config));
      List<Long> created = new ArrayList<>();
      new Trainer(experiment).fit(List.of(new TrainingListener() {
        @Override
        public void onBatch(int epoch, int batch, double meanLoss) {
          created.add(Tensor.created());
        }
      }));
      int batches = created.size() / 3;
      assertThat(created).hasSize(3 * batches);
      // the first batches make the buffers; the second epoch's and the third's make none
      assertThat(created.get(0)).isGreaterThan(created.get(batches + 1) - created.get(batches + 2) + 1);
      for (int epoch = 1; epoch < 3; epoch++) {
        List<Long> epochCounts = created.subList(epoch * batches + 1, epoch * batches + batches);
        assertThat(epochCounts).as("tensors created so far, after each batch of epoch %d, %d threads", epoch + 1, threads)
            .containsOnly(epochCounts.get(0));
      }
    }
  }
}
