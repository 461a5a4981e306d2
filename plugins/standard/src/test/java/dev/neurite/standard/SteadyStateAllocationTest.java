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
      assertThat(created).hasSize(3 * 64);
      // the first batches make the buffers; the second epoch's and the third's make none
      assertThat(created.get(0)).isGreaterThan(created.get(64 + 1) - created.get(64 + 2) + 1);
      for (int epoch = 1; epoch < 3; epoch++) {
        List<Long> epochCounts = created.subList(epoch * 64 + 1, epoch * 64 + 64);
        assertThat(epochCounts).as("tensors created so far, after each batch of epoch %d, %d threads", epoch + 1, threads)
            .containsOnly(epochCounts.get(0));
      }
    }
  }
}
