package dev.neurite.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.config.SweepSpec;
import dev.neurite.config.YamlFiles;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepPlanTest {
  private static SweepSpec.Parameter values(String path, String... yaml) {
    return new SweepSpec.Parameter(path, java.util.Arrays.stream(yaml).map(y -> YamlFiles.compose(y, "test")).toList(),
        Optional.empty(), Optional.empty(), false, false);
  }

  @Test
  void gridIsEveryCombinationInOrderWithinTheBudget() {
    SweepSpec grid = new SweepSpec(SweepSpec.Method.GRID, 0, "test.accuracy", SweepSpec.Goal.MAX,
        List.of(values("optimizer.lr", "0.01", "0.1"), values("optimizer", "{type: adam, lr: 0.001}", "sgd")));
    assertThat(SweepRun.plan(grid, 1)).containsExactly(
        List.of("optimizer.lr=0.01", "optimizer={type: adam, lr: 0.001}"), List.of("optimizer.lr=0.01", "optimizer=sgd"),
        List.of("optimizer.lr=0.1", "optimizer={type: adam, lr: 0.001}"), List.of("optimizer.lr=0.1", "optimizer=sgd"));
    SweepSpec budget = new SweepSpec(SweepSpec.Method.GRID, 3, "test.accuracy", SweepSpec.Goal.MAX, grid.parameters());
    assertThat(SweepRun.plan(budget, 1)).hasSize(3);
  }

  @Test
  void randomSearchFollowsTheSeedAndStaysInItsRanges() {
    SweepSpec random = new SweepSpec(SweepSpec.Method.RANDOM, 50, "validation.loss", SweepSpec.Goal.MIN, List.of(
        new SweepSpec.Parameter("optimizer.lr", List.of(), Optional.of(1e-4), Optional.of(1e-1), true, false),
        new SweepSpec.Parameter("model.layers[0].units", List.of(), Optional.of(8.0), Optional.of(64.0), false, true),
        values("training.batch_size", "16", "32")));
    List<List<String>> plan = SweepRun.plan(random, 7);
    assertThat(plan).hasSize(50).isEqualTo(SweepRun.plan(random, 7)).isNotEqualTo(SweepRun.plan(random, 8));
    int below = 0;
    for (List<String> trial : plan) {
      double lr = Double.parseDouble(trial.get(0).substring("optimizer.lr=".length()));
      assertThat(lr).isBetween(1e-4, 1e-1);
      if (lr < 1e-2) below++; // log-uniform: two thirds of the draws lie below 1e-2
      assertThat(Integer.parseInt(trial.get(1).substring("model.layers[0].units=".length()))).isBetween(8, 64);
      assertThat(trial.get(2)).isIn("training.batch_size=16", "training.batch_size=32");
    }
    assertThat(below).isBetween(25, 42);
  }

  @Test
  void badSweepsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new SweepSpec(SweepSpec.Method.RANDOM, 0, "test.accuracy", SweepSpec.Goal.MAX, List.of(values("a", "1"))))
        .hasMessage("random search needs a trial budget: trials: N");
    assertThatThrownBy(() -> new SweepSpec(SweepSpec.Method.GRID, 0, "accuracy", SweepSpec.Goal.MAX, List.of(values("a", "1"))))
        .hasMessage("metric must be <split>.<metric> with split train, validation or test, got 'accuracy'");
    assertThatThrownBy(() -> new SweepSpec.Parameter("optimizer.lr", List.of(), Optional.of(0.0), Optional.of(1.0), true, false))
        .hasMessage("sweep parameter optimizer.lr: log needs min > 0");
  }
}
