package dev.neurite.spark;

import static dev.neurite.spark.SparkEngineTest.CONFIGS;
import static dev.neurite.spark.SparkEngineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synchronous data-parallel training on Spark's barrier tasks: the digits MLP and CNN on 2 and 4 workers
 * write the checkpoints and weights of the single-machine run with the same gradient groups, byte for byte;
 * a worker that fails, and a driver killed then resumed (on another number of workers), end the same.
 */
class DataParallelSparkTest {
  @TempDir Path dir;

  static List<String> settings(int epochs, String... more) {
    List<String> s = new ArrayList<>(List.of("--set", "training.gradient_groups=4", "--set", "training.epochs=" + epochs,
        "--set", "training.keep_checkpoints=100"));
    for (String m : more) s.addAll(List.of("--set", m));
    return s;
  }

  static String[] train(String config, Path out, List<String> settings, String... engine) {
    List<String> args = new ArrayList<>(List.of("train", CONFIGS.resolve(config).toString(), "--out", out.toString(), "--quiet"));
    args.addAll(settings);
    args.addAll(List.of(engine));
    return args.toArray(String[]::new);
  }

  static void assertSameBytes(Path expected, Path actual) throws IOException {
    List<String> names = new ArrayList<>();
    try (var files = Files.list(expected.resolve("checkpoints"))) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().forEach(names::add);
    }
    assertThat(names).as("a checkpoint after every epoch but the last").isNotEmpty();
    for (String n : names) {
      assertThat(Hashes.sha256(actual.resolve("checkpoints").resolve(n))).as(actual + " " + n)
          .isEqualTo(Hashes.sha256(expected.resolve("checkpoints").resolve(n)));
    }
    assertThat(Hashes.sha256(actual.resolve("weights.safetensors"))).as(actual + " weights")
        .isEqualTo(Hashes.sha256(expected.resolve("weights.safetensors")));
    assertThat(withoutSeconds(actual.resolve("metrics.csv"))).isEqualTo(withoutSeconds(expected.resolve("metrics.csv")));
  }

  static String withoutSeconds(Path metrics) throws IOException {
    return Files.readString(metrics).replaceAll(",[0-9.E-]+\n", "\n");
  }

  static JsonObject manifest(Path run) throws IOException {
    return JsonParser.parseString(Files.readString(run.resolve("manifest.json"))).getAsJsonObject();
  }

  @Test
  void theMlpAndTheCnnOnTwoAndFourWorkersEqualTheSingleMachineRunAfterEveryEpoch() throws IOException {
    for (String config : List.of("digits-mlp.yaml", "digits-cnn.yaml")) {
      Path alone = dir.resolve(config + "-alone");
      run(train(config, alone, settings(3)));
      for (int workers : new int[] {2, 4}) {
        Path spread = dir.resolve(config + "-" + workers);
        String console = run(train(config, spread, settings(3), "--engine", "spark", "--master", "local[4]", "--workers", Integer.toString(workers)));
        assertThat(console).contains(workers + " workers, run " + spread).contains("epoch 3:").contains("test:");
        assertSameBytes(alone, spread);
        JsonObject engine = manifest(spread).getAsJsonObject("engine");
        assertThat(engine.get("name").getAsString()).isEqualTo("spark");
        assertThat(engine.get("workers").getAsInt()).isEqualTo(workers);
      }
    }
  }

  @Test
  void workersThatCannotShareTheGroupsAreRefusedBeforeAnyTaskStarts() {
    for (String[] c : new String[][] {{"1", "2", "--workers 2 cannot share the 1 gradient groups of "},
                                      {"6", "3", "--workers 3 cannot share the 6 gradient groups of "}}) {
      Path out = dir.resolve("groups-" + c[0] + "-workers-" + c[1]);
      java.io.StringWriter err = new java.io.StringWriter();
      int code = dev.neurite.cli.Main.run(new String[] {"train", CONFIGS.resolve("digits-mlp.yaml").toString(), "--out", out.toString(),
          "--set", "training.gradient_groups=" + c[0], "--engine", "spark", "--master", "local[4]", "--workers", c[1]},
          new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true));
      assertThat(code).isNotZero();
      assertThat(err.toString()).contains(c[2]).contains("each worker must hold a node of the groups' tree, as any power of two dividing "
          + "them does; set training.gradient_groups to a multiple of " + ("2".equals(c[1]) ? "2" : "4"));
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void aModelWithRunningStatisticsIsRefusedOnceAndWritesNothing() {
    Path spread = dir.resolve("batch-norm");
    List<String> args = new ArrayList<>(List.of(train("digits-mlp.yaml", spread,
        settings(2, "model.layers=[{type: dense, units: 32}, batch_norm, relu, {type: dense, units: 10}]"),
        "--engine", "spark", "--master", "local[2,4]", "--workers", "2")));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = dev.neurite.cli.Main.run(args.toArray(String[]::new), new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(err, true));
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("model.layers[1] (batch_norm) keeps running state (")
        .contains("which each data-parallel worker would update from its own rows only; train this model on one machine");
    assertThat(spread).doesNotExist();
  }

  @Test
  void aWorkerThatFailsIsRestartedWithTheOthersFromTheCheckpoint() throws IOException {
    Path marker = dir.resolve("failed-once");
    List<String> failing = settings(4, "callbacks=[{type: 'test:fail_once', marker: '" + marker + "', after_epoch: 2}]");
    Path spread = dir.resolve("failed-worker");
    run(train("digits-mlp.yaml", spread, failing, "--engine", "spark", "--master", "local[2,4]", "--workers", "2"));
    assertThat(marker).as("a worker failed after epoch 2").exists();
    assertThat(manifest(spread).has("resumed")).as("the restarted stage resumed the run").isTrue();
    Path alone = dir.resolve("not-failed");
    run(train("digits-mlp.yaml", alone, failing)); // the marker exists: nothing fails here
    assertSameBytes(alone, spread);
  }

  @Test
  void aDriverKilledMidRunResumesOnAnotherNumberOfWorkersToTheSameBytes() throws Exception {
    Path spread = dir.resolve("killed-driver");
    List<String> args = new ArrayList<>(List.of(train("digits-mlp.yaml", spread, settings(20), "--engine", "spark", "--master", "local[2]",
        "--workers", "2")));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + System.getProperty("neurite.jvmargs"), "@spark.jvmargs", "-Dlog4j2.configurationFile=log4j2.properties",
        "-cp", classPath(), "dev.neurite.cli.Main"));
    cmd.addAll(args);
    Path log = dir.resolve("driver.log");
    Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path third = spread.resolve("checkpoints").resolve("epoch-000003.safetensors");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(third) && driver.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(driver.isAlive()).as("the driver is still training when killed; its log: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
    driver.destroyForcibly(); // SIGKILL: no shutdown hook runs
    driver.waitFor(30, TimeUnit.SECONDS);
    assertThat(spread.resolve("weights.safetensors")).doesNotExist();

    String resumed = run("resume", spread.toString(), "--engine", "spark", "--master", "local[4]", "--workers", "4");
    assertThat(resumed).contains("4 workers, run " + spread).contains("epoch 20:");
    Path alone = dir.resolve("uninterrupted");
    run(train("digits-mlp.yaml", alone, settings(20)));
    assertSameBytes(alone, spread);
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }
}
