package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.Hashes;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.StepExchange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * training.gradient_groups and data-parallel workers without an engine: W trainers in threads of this JVM,
 * swapping their shares through memory, end with the bytes of the one-process run with the same groups; the
 * groups' gradient is the whole batch's (to float rounding); a worker's groups must be a node of the tree.
 */
class DataParallelTest {
  static final ComponentRegistry REGISTRY = ComponentRegistry.discover(DataParallelTest.class.getClassLoader());
  static final Path DIGITS = Path.of("digits-mlp.yaml");

  @TempDir Path tmp;

  /** W workers meeting each step: each leaves its share, all wait, each reads all, all wait again. */
  static final class Rendezvous {
    final StepExchange.Share[] slots;
    final CyclicBarrier barrier;

    Rendezvous(int workers) {
      slots = new StepExchange.Share[workers];
      barrier = new CyclicBarrier(workers);
    }

    StepExchange worker(int rank, int groups) {
      int w = slots.length;
      return new StepExchange() {
        @Override
        public int first() {
          return rank * groups / w;
        }

        @Override
        public int end() {
          return (rank + 1) * groups / w;
        }

        @Override
        public List<Share> exchange(Share mine) {
          try {
            // a copy, as bytes sent over a network would be: the sender reuses its arrays in the next step
            slots[rank] = new Share(mine.step(), mine.first(), mine.end(), mine.gradient().clone(), mine.losses(), mine.outputs());
            barrier.await(60, TimeUnit.SECONDS);
            List<Share> all = List.copyOf(Arrays.asList(slots));
            barrier.await(60, TimeUnit.SECONDS);
            return all;
          } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(e);
          }
        }
      };
    }
  }

  static List<String> overrides(int groups, String... more) {
    List<String> o = new ArrayList<>(List.of("training.epochs=3", "training.gradient_groups=" + groups));
    o.addAll(List.of(more));
    return o;
  }

  /** Trains with W workers in threads; worker 0 writes {@code dir}. */
  static void trainWithWorkers(Path dir, int workers, List<String> overrides) throws Exception {
    int groups = Integer.parseInt(overrides.get(1).substring("training.gradient_groups=".length()));
    Rendezvous meeting = new Rendezvous(workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < workers; r++) {
        StepExchange exchange = meeting.worker(r, groups);
        boolean first = r == 0;
        done.add(pool.submit(() -> {
          if (first) {
            TrainingRun.train(REGISTRY, List.of(DIGITS), overrides, new TrainingRun.Options(dir, null, List.of(), List.of(), null, exchange));
          } else {
            TrainingRun.follow(REGISTRY, List.of(DIGITS), overrides, dir, exchange);
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void workersInStepEndWithTheBytesOfTheRunOnOneProcess() throws Exception {
    Path alone = tmp.resolve("alone");
    TrainingRun.train(REGISTRY, List.of(DIGITS), overrides(4), new TrainingRun.Options(alone, null, List.of()));
    String expected = Hashes.sha256(alone.resolve("weights.safetensors"));
    for (int workers : new int[] {2, 4}) {
      Path dir = tmp.resolve("workers-" + workers);
      trainWithWorkers(dir, workers, overrides(4));
      assertThat(Hashes.sha256(dir.resolve("weights.safetensors"))).as("%d workers", workers).isEqualTo(expected);
      assertThat(java.nio.file.Files.readString(dir.resolve("metrics.csv")).replaceAll(",[0-9.E-]+\n", "\n"))
          .as("the metrics, but for the seconds").isEqualTo(java.nio.file.Files.readString(alone.resolve("metrics.csv")).replaceAll(",[0-9.E-]+\n", "\n"));
    }
    Path whole = tmp.resolve("whole-batch");
    TrainingRun.train(REGISTRY, List.of(DIGITS), overrides(1), new TrainingRun.Options(whole, null, List.of()));
    assertThat(Hashes.sha256(whole.resolve("weights.safetensors"))).as("groups change the rounding and the dropout masks").isNotEqualTo(expected);
  }

  @Test
  void theGroupsGradientIsTheWholeBatchsToRounding() {
    // one step over the whole training split (1348 rows, no dropout): 4 groups of 337 rows against the batch at once;
    // a group's gradient weighted wrongly (by 1 instead of its share of the rows) would move the weights by lr times 3 gradients
    String[] model = {"model.layers=[{type: dense, units: 64, init: he_normal}, relu, {type: dense, units: 10}]", "training.batch_size=1348",
        "training.epochs=1", "regularizers=[]"};
    Path one = tmp.resolve("one-group");
    Path four = tmp.resolve("four-groups");
    TrainingRun.train(REGISTRY, List.of(DIGITS), withGroups(model, 1), new TrainingRun.Options(one, null, List.of()));
    TrainingRun.train(REGISTRY, List.of(DIGITS), withGroups(model, 4), new TrainingRun.Options(four, null, List.of()));
    Map<String, Tensor> a = read(one);
    Map<String, Tensor> b = read(four);
    double worst = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1e-3 + Math.abs(x[i])));
    }
    assertThat(worst).as("largest relative difference of the weights after the step").isLessThan(1e-5).isGreaterThan(0);
  }

  @Test
  void aWorkersGroupsMustBeANodeOfTheTree() {
    // 3 workers of 6 groups hold 0-1, 2-3 and 4-5, but the tree's nodes below the root are 0-2 and 3-5
    Rendezvous three = new Rendezvous(3);
    assertThatThrownBy(() -> TrainingRun.follow(REGISTRY, List.of(DIGITS), overrides(6), tmp.resolve("none"), three.worker(1, 6)))
        .isInstanceOf(NeuriteException.class)
        .hasMessageContaining("a data-parallel worker must hold a whole node of the gradient groups' tree: groups 2 to 3 of "
            + "training.gradient_groups 6 are not one; with W workers (a power of two) gradient_groups must be a multiple of W");
    assertThat(StepExchange.splits(3, 4)).as("0, 1 and 2-3 are nodes of 4 groups' tree").isTrue();
    assertThat(StepExchange.splits(3, 6)).isFalse();
    assertThat(StepExchange.splits(4, 12)).isTrue();
  }

  @Test
  void moreGroupsThanRowsInABatchIsAConfigError() {
    CommandLineTest.Result r = CommandLineTest.run("validate", DIGITS.toString(), "--set", "training.gradient_groups=64");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("training: gradient_groups is 64 but batch_size is 32: each group needs at least one row of a full batch; "
        + "use at most 32 groups");
  }

  private static List<String> withGroups(String[] settings, int groups) {
    List<String> o = new ArrayList<>(Arrays.asList(settings));
    o.add("training.gradient_groups=" + groups);
    return o;
  }

  private static Map<String, Tensor> read(Path run) {
    try {
      return SafeTensors.read(run.resolve("weights.safetensors"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
