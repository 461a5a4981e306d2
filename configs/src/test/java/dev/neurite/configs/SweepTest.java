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
    List<String> table = Files.readAllLines(dir.resolve("sweep.csv"));
    assertThat(table.get(0)).isEqualTo("trial,optimizer.lr,model.layers[0].units,test.accuracy,run");
    assertThat(table).hasSize(7);
    assertThat(table.get(2)).startsWith("2,0.01,64,").endsWith(",trial-002");

    // the ranked table: best first
    List<Double> scores = r.out().lines().dropWhile(l -> !l.startsWith("ranked")).skip(1)
        .map(l -> Double.parseDouble(l.trim().split("\\s+")[3])).toList();
    assertThat(scores).hasSize(6);
    for (int i = 1; i < scores.size(); i++) assertThat(scores.get(i)).isLessThanOrEqualTo(scores.get(i - 1));

    // a trial is an ordinary run: training it alone gives the same weights
    Path alone = tmp.resolve("alone");
    assertThat(CommandLineTest.run("train", config.toString(), "--set", "optimizer.lr=0.2", "--set", "model.layers[0].units=64",
        "--out", alone.toString(), "--quiet").code()).isZero();
    assertThat(Files.readAllBytes(alone.resolve("weights.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("trial-006").resolve("weights.safetensors")));

    // another plan in the same directory is refused
    CommandLineTest.Result other = CommandLineTest.run("sweep", config.toString(), "--set", "seed=3", "--out", dir.toString());
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("holds a different sweep");
  }
}
