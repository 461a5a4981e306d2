package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.Hashes;
import dev.neurite.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code resume} reads from a run directory it did not write itself: an index naming files
 * outside {@code checkpoints/}, a damaged or deleted index, a manifest naming other files. Nothing
 * outside the run is opened or deleted, and intact checkpoint files are found without the index.
 */
class RunDirectoryHardeningTest {
  /** XOR, 12 epochs, a checkpoint after each, two kept: fast enough to train for every test. */
  static final String XOR = """
      name: xor-hardening
      seed: 7
      data: {source: xor}
      model:
        layers: [{type: dense, units: 2}, sigmoid, {type: dense, units: 1}, sigmoid]
      loss: mse
      optimizer: {type: sgd, lr: 2.0}
      training: {epochs: 12, batch_size: 4, checkpoint_every: 1, keep_checkpoints: 2}
      metrics: [loss]
      """;
  @TempDir Path tmp;
  Path config;
  String expectedSha;

  @BeforeEach
  void uninterrupted() throws IOException {
    config = tmp.resolve("xor.yaml");
    Files.writeString(config, XOR);
    expectedSha = ShippedConfigsTest.train(config, tmp.resolve("uninterrupted")).weightsSha256();
  }

  /** A run as a crash after the given epoch leaves it: the checkpoints up to it, the manifest still "running". */
  private Path interruptedAfter(int epoch) throws IOException {
    Path run = tmp.resolve("run");
    TrainingRun.train(ShippedConfigsTest.REGISTRY, List.of(config), List.of("training.epochs=" + epoch),
        new TrainingRun.Options(run, null, List.of()));
    Files.delete(run.resolve("weights.safetensors"));
    Files.delete(run.resolve("summary.json"));
    JsonObject manifest = json(run.resolve("manifest.json"));
    manifest.addProperty("status", "running");
    Files.writeString(run.resolve("manifest.json"), manifest.toString());
    Files.writeString(run.resolve("config.yaml"), Files.readString(run.resolve("config.yaml")).replace("epochs: " + epoch, "epochs: 12"));
    return run;
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  private static JsonObject entry(String file, long bytes, String sha) {
    JsonObject e = new JsonObject();
    e.addProperty("file", file);
    e.addProperty("epoch", 1);
    e.addProperty("step", 1);
    e.addProperty("bytes", bytes);
    e.addProperty("sha256", sha);
    return e;
  }

  private static String sha(Path run) throws IOException {
    return Hashes.sha256(run.resolve("weights.safetensors"));
  }

  @Test
  void anIndexEntryOutsideTheCheckpointsFolderIsNeitherDeletedNorRead() throws IOException {
    Path run = interruptedAfter(4);
    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "not a checkpoint");
    Path index = run.resolve("checkpoints/index.json");
    JsonObject root = json(index);
    JsonArray list = new JsonArray();
    // the oldest entries, rotated out (deleted) by the first new checkpoint before the fix
    list.add(entry("../../victim.txt", 16, Hashes.sha256(Files.readAllBytes(victim))));
    list.add(entry(victim.toAbsolutePath().toString(), 16, Hashes.sha256(Files.readAllBytes(victim))));
    root.getAsJsonArray("checkpoints").forEach(list::add);
    root.add("checkpoints", list);
    Files.writeString(index, root.toString());

    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(victim).hasContent("not a checkpoint");
    assertThat(r.err()).contains("\"../../victim.txt\" is not a checkpoint file name").contains("the entry is ignored")
        .contains("\"" + victim.toAbsolutePath() + "\" is not a checkpoint file name");
    assertThat(sha(run)).isEqualTo(expectedSha);
  }

  @Test
  void aTruncatedIndexFallsBackToTheVerifiedCheckpointFiles() throws IOException {
    Path run = interruptedAfter(5);
    Path index = run.resolve("checkpoints/index.json");
    byte[] bytes = Files.readAllBytes(index);
    Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("warning: " + index + " is damaged (").contains("checking the checkpoint files themselves");
    assertThat(sha(run)).isEqualTo(expectedSha);
    var resumed = json(run.resolve("manifest.json")).getAsJsonArray("resumed").get(0).getAsJsonObject();
    assertThat(resumed.get("from_epoch").getAsInt()).isEqualTo(4); // the newest checkpoint: epoch 5 is the run's last, none is written
  }

  @Test
  void aFlippedByteInTheIndexOrItsDeletionStillResumesFromTheNewestCheckpoint() throws IOException {
    Path run = interruptedAfter(7);
    Path index = run.resolve("checkpoints/index.json");
    byte[] bytes = Files.readAllBytes(index);
    bytes[3] = (byte) 0xC3; // not UTF-8 where the text had ASCII
    Files.write(index, bytes);
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(index + " is damaged (");
    assertThat(sha(run)).isEqualTo(expectedSha);

    Path again = interruptedAfter2(7);
    Files.delete(again.resolve("checkpoints/index.json"));
    CommandLineTest.Result r2 = CommandLineTest.run("resume", again.toString(), "--quiet");
    assertThat(r2.code()).as(r2.err()).isZero();
    assertThat(r2.err()).isEmpty();
    assertThat(json(again.resolve("manifest.json")).getAsJsonArray("resumed").get(0).getAsJsonObject().get("from_epoch").getAsInt())
        .isEqualTo(6);
    assertThat(sha(again)).isEqualTo(expectedSha);
  }

  private Path interruptedAfter2(int epoch) throws IOException {
    Path moved = tmp.resolve("first");
    Files.move(tmp.resolve("run"), moved);
    return interruptedAfter(epoch);
  }

  @Test
  void aCorruptCheckpointIsFoundWithoutTheIndexByItsOwnDataHash() throws IOException {
    Path run = interruptedAfter(7);
    Files.delete(run.resolve("checkpoints/index.json"));
    Path newest = run.resolve("checkpoints/epoch-000006.safetensors");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length - 3] ^= 1; // a bit of the data, which no header check sees
    Files.write(newest, bytes);
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains(newest + " is corrupt: its data's sha256 is ").contains("using an earlier checkpoint");
    assertThat(json(run.resolve("manifest.json")).getAsJsonArray("resumed").get(0).getAsJsonObject().get("from_epoch").getAsInt())
        .isEqualTo(5);
    assertThat(sha(run)).isEqualTo(expectedSha);
  }

  @Test
  void aManifestNamingAnotherFileIsReportedAndThatFileIsNotRead() throws IOException {
    Path run = tmp.resolve("digits");
    Path digits = tmp.resolve("digits.yaml");
    Files.writeString(digits, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: 2, batch_size: 32}"));
    TrainingRun.train(ShippedConfigsTest.REGISTRY, List.of(digits), List.of(), new TrainingRun.Options(run, null, List.of()));
    JsonObject manifest = json(run.resolve("manifest.json"));
    manifest.addProperty("status", "running");
    manifest.getAsJsonArray("data").get(0).getAsJsonObject().addProperty("path", "/etc/passwd");
    Files.writeString(run.resolve("manifest.json"), manifest.toString());
    Files.delete(run.resolve("weights.safetensors"));
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("manifest.json records the data file /etc/passwd, which the run's config.yaml does not read (not opened)")
        .contains(Path.of("data/digits.csv").toAbsolutePath() + ": read by the run's config.yaml but not recorded in manifest.json")
        .doesNotContain("root:");
  }

  @Test
  void aCompletedRunIsNotResumedAndNothingChanges() throws IOException {
    Path run = tmp.resolve("uninterrupted");
    String manifestBefore = Files.readString(run.resolve("manifest.json"));
    String metricsBefore = Files.readString(run.resolve("metrics.csv"));
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(run + " is complete: nothing to resume, nothing changed\n");
    assertThat(Files.readString(run.resolve("manifest.json"))).isEqualTo(manifestBefore);
    assertThat(Files.readString(run.resolve("metrics.csv"))).isEqualTo(metricsBefore);
  }

  @Test
  void aRunStoppedBeforeItsFirstCheckpointResumesFromStepZeroToTheSameWeights() throws IOException {
    Path run = interruptedAfter(3);
    try (var files = Files.list(run.resolve("checkpoints"))) {
      for (Path f : files.toList()) Files.delete(f);
    }
    Files.delete(run.resolve("checkpoints"));
    Files.delete(run.resolve("metrics.csv"));
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("warning: " + run + " has no checkpoint: starting again from step 0 (the same result as an "
        + "uninterrupted run)\n");
    assertThat(sha(run)).isEqualTo(expectedSha);
    assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(13);
    assertThat(json(run.resolve("manifest.json")).getAsJsonArray("resumed").get(0).getAsJsonObject().get("from_step").getAsInt()).isZero();
  }

  @Test
  void theRunDirectoryAppearsWithItsConfigAndManifestOrNotAtAll() throws IOException {
    Path root = tmp.resolve("runs");
    Files.createDirectories(root);
    Path out = root.resolve("exact");
    ShippedConfigsTest.train(config, out);
    try (var names = Files.list(root)) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("exact"); // no staging folder left
    }
    // an existing empty directory is taken over; a non-empty one is refused and left as it was
    Path empty = Files.createDirectory(root.resolve("empty"));
    ShippedConfigsTest.train(config, empty);
    assertThat(empty.resolve("manifest.json")).exists();
    CommandLineTest.Result r = CommandLineTest.run("train", config.toString(), "--out", out.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("output directory " + out + " is not empty");
    try (var names = Files.list(root)) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("exact", "empty");
    }
  }

  @Test
  void aDivergedRunWritesNoNonFiniteCheckpointAndResumesWithALowerRateAsARecordedChange() throws IOException {
    Path digits = divergingDigits(20);
    Path run = tmp.resolve("diverged");
    CommandLineTest.Result r = CommandLineTest.run("train", digits.toString(), "--out", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: training diverged: ");
    // whatever checkpoints exist hold finite params only
    if (Files.isDirectory(run.resolve("checkpoints"))) {
      try (var files = Files.list(run.resolve("checkpoints"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
          dev.neurite.run.SafeTensors.requireFinite(dev.neurite.run.SafeTensors.read(f), f.toString());
        }
      }
    }
    CommandLineTest.Result again = CommandLineTest.run("resume", run.toString(), "--set", "optimizer.lr=0.05", "--quiet");
    assertThat(again.code()).as(again.err()).isZero();
    JsonObject manifest = json(run.resolve("manifest.json"));
    assertThat(manifest.get("status").getAsString()).isEqualTo("completed");
    JsonObject resumed = manifest.getAsJsonArray("resumed").get(0).getAsJsonObject();
    assertThat(resumed.getAsJsonArray("overrides").toString()).isEqualTo("[\"optimizer.lr=0.05\"]");
    assertThat(resumed.get("config_sha256_before").getAsString()).matches("[0-9a-f]{64}");
    assertThat(Files.readString(run.resolve("config.yaml"))).contains("lr: 0.05");
    CommandLineTest.Result reproduce = CommandLineTest.run("reproduce", run.toString(), "--out", tmp.resolve("again").toString());
    assertThat(reproduce.code()).isEqualTo(1);
    assertThat(reproduce.out()).contains("not reproducible from its config alone: the run was resumed with changes (from step 0: optimizer.lr=0.05)");
  }

  @Test
  void aParamThatTurnsInfiniteStopsTheRunBeforeACheckpointIsWritten() throws IOException {
    Path digits = divergingDigits(1);
    Path run = tmp.resolve("infinite");
    CommandLineTest.Result r = CommandLineTest.run("train", digits.toString(), "--out", run.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: training diverged: param layers.0.weight became ").contains(" by step 1; no checkpoint was written");
    assertThat(run.resolve("checkpoints/index.json")).doesNotExist();
  }

  /** The digits MLP with a learning rate that makes the first step's weights infinite, a checkpoint every {@code everySteps} steps. */
  private Path divergingDigits(int everySteps) throws IOException {
    Path digits = tmp.resolve("digits.yaml");
    Files.writeString(digits, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("{type: sgd, lr: 0.05, momentum: 0.9}", "{type: sgd, lr: 1.0e+300}")
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: 3, batch_size: 32, checkpoint_every_steps: " + everySteps + "}"));
    return digits;
  }
}
