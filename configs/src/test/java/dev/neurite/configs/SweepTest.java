package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 6-trial sweep on the digits config, killed after 3 trials, restarted: 6 trials, none run twice, ranked. */
class SweepTest {
  @TempDir Path tmp;

  /** The digits config with a sweep: section in a file of its own, merged after it. */
  private Path sweepFile(String sweep) throws Exception {
    Path f = tmp.resolve("sweep.yaml");
    Files.writeString(f, sweep);
    return f;
  }

  @Test
  void validateChecksTheSweepAndPointsIntoTheSweepFile() throws Exception {
    String digits = Path.of("digits-mlp.yaml").toString();
    Path badMetric = sweepFile("""
        sweep:
          metric: test.acuracy
          parameters:
            - {path: optimizer.lr, values: [0.01, 0.05]}
        """);
    CommandLineTest.Result r = CommandLineTest.run("validate", digits, badMetric.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(badMetric + ":2:11: sweep.metric: 'acuracy' is not one of the config's metrics; did you mean 'accuracy'? "
        + "(metrics: loss, accuracy)");

    Path badPath = sweepFile("""
        sweep:
          metric: test.accuracy
          parameters:
            - {path: 'model.layers[0].units', values: [32, 64]}
            - {path: optimizer.lrr, values: [0.01, 0.05]}
        """);
    r = CommandLineTest.run("validate", digits, badPath.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("1 error in the config", badPath + ":5:14: sweep.parameters[1].path: optimizer.lrr=0.01 (trial 1): "
        + "unknown key 'lrr'; did you mean 'lr'?");

    Path badValue = sweepFile("""
        sweep:
          metric: validation.loss
          goal: min
          parameters:
            - {path: optimizer.lr, values: [0.01, -0.05]}
        """);
    r = CommandLineTest.run("validate", digits, badValue.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(badValue + ":2:11: sweep.metric: the data has no validation split",
        badValue + ":5:14: sweep.parameters[0].path: optimizer.lr=-0.05 (trial 2): must be > 0, got -0.05");

    // the sweep itself stops before its first trial
    r = CommandLineTest.run("sweep", digits, badPath.toString(), "--out", tmp.resolve("never").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(tmp.resolve("never")).doesNotExist();
  }

  @Test
  void anInterruptedSweepContinuesAndNeverRerunsAFinishedTrial() throws Exception {
    Path config = tmp.resolve("digits-sweep.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: 15, batch_size: 32}") + """
        sweep:
          method: grid
          metric: test.accuracy
          parameters:
            - {path: optimizer.lr, values: [0.01, 0.05, 0.2]}
            - {path: 'model.layers[0].units', values: [16, 64]}
        """);
    Path dir = tmp.resolve("sweep");
    Process p = ChildJvm.start(tmp.resolve("first.log"), List.of(), "sweep", config.toString(), "--out", dir.toString());
    Path third = dir.resolve("trial-003").resolve("summary.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.isRegularFile(third) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
    p.destroyForcibly(); // kill -9 after the third trial
    p.waitFor(30, TimeUnit.SECONDS);
    assertThat(third).as(Files.readString(tmp.resolve("first.log"))).exists();
    assertThat(dir.resolve("trial-006").resolve("summary.json")).doesNotExist();
    List<FileTime> before = new ArrayList<>();
    List<byte[]> weights = new ArrayList<>();
    for (int t = 1; t <= 3; t++) {
      before.add(Files.getLastModifiedTime(dir.resolve("trial-00" + t).resolve("summary.json")));
      weights.add(Files.readAllBytes(dir.resolve("trial-00" + t).resolve("weights.safetensors")));
    }

    CommandLineTest.Result r = CommandLineTest.run("sweep", config.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (int t = 1; t <= 3; t++) {
      assertThat(r.out()).contains("trial " + t + "/6: finished before, kept");
      assertThat(Files.getLastModifiedTime(dir.resolve("trial-00" + t).resolve("summary.json"))).isEqualTo(before.get(t - 1));
      assertThat(Files.readAllBytes(dir.resolve("trial-00" + t).resolve("weights.safetensors"))).isEqualTo(weights.get(t - 1));
    }
    // the trials that run show their epochs and their result as each finishes, before the ranking
    for (int t = 4; t <= 5; t++) {
      assertThat(r.out()).containsPattern("trial " + t + "/6: test\\.accuracy 0\\.\\d{4} in [0-9.]+ s \\(trial-00" + t + "\\)");
    }
    assertThat(r.out()).contains("epoch 15/15  train_loss ");
    // lr 0.2 with 64 units runs away (its loss passes 10000 times its first): the trial is recorded as diverged, the sweep goes on
    assertThat(r.out()).contains("trial 6/6: training diverged: the loss became ").contains("(trial-006)");
    assertThat(r.out().indexOf("trial 6/6: training diverged")).isLessThan(r.out().indexOf("ranked ("));
    List<String> table = Files.readAllLines(dir.resolve("sweep.csv"));
    assertThat(table.get(0)).isEqualTo("trial,optimizer.lr,model.layers[0].units,test.accuracy,run");
    assertThat(table).hasSize(7);
    assertThat(table.get(2)).startsWith("2,0.01,64,").endsWith(",trial-002");

    // the ranked table: best first
    List<String> ranking = r.out().lines().dropWhile(l -> !l.startsWith("ranked")).skip(1).toList();
    assertThat(ranking).hasSize(6);
    assertThat(ranking.get(5)).startsWith("  6. trial 6  -  optimizer.lr=0.2");
    assertThat(table.get(6)).isEqualTo("6,0.2,64,,trial-006");
    List<Double> scores = ranking.subList(0, 5).stream().map(l -> Double.parseDouble(l.trim().split("\\s+")[3])).toList();
    for (int i = 1; i < scores.size(); i++) assertThat(scores.get(i)).isLessThanOrEqualTo(scores.get(i - 1));

    // a trial is an ordinary run: training it alone gives the same weights
    Path alone = tmp.resolve("alone");
    assertThat(CommandLineTest.run("train", config.toString(), "--set", "optimizer.lr=0.2", "--set", "model.layers[0].units=16",
        "--out", alone.toString(), "--quiet").code()).isZero();
    assertThat(Files.readAllBytes(alone.resolve("weights.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("trial-005").resolve("weights.safetensors")));

    // run again: every trial is final, the diverged one included
    CommandLineTest.Result again = CommandLineTest.run("sweep", config.toString(), "--out", dir.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("trial 5/6: finished before, kept", "trial 6/6: diverged before, kept").doesNotContain("epoch 1/15");

    // another plan in the same directory is refused
    CommandLineTest.Result other = CommandLineTest.run("sweep", config.toString(), "--set", "seed=3", "--out", dir.toString());
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("holds a different sweep");
  }
}
