package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints taken in the middle of an epoch (every N steps) hold the data cursor: a run resumed
 * from any of them ends with the uninterrupted run's weights, byte for byte, and the same
 * training metrics for every epoch, the interrupted one included. The config has every source of
 * per-batch state: shuffling, prefetching (whose thread draws augmentations one batch ahead),
 * three augmentations, dropout, batch norm, Adam, a per-step schedule and stateful metrics.
 */
class MidEpochResumeTest {
  private static final String CONFIG = """
      name: mid-epoch
      seed: 5
      data:
        source: {type: npy, features: f.npy, labels: l.npy}
        split: {train: 0.8, test: 0.2}
        augment: [{type: gaussian_noise, std: 0.1}, {type: random_shift, max_pixels: 1}, {type: cutout, size: 2}]
      model:
        layers:
          - {type: conv2d, filters: 4, kernel_size: 3, padding: 1}
          - batch_norm
          - relu
          - flatten
          - {type: dropout, rate: 0.2}
          - {type: dense, units: 3}
      loss: softmax_cross_entropy
      optimizer: {type: adam, lr: 0.01}
      schedule: {type: cosine, period: 60, unit: step, min_factor: 0.1}
      training: {epochs: 4, batch_size: 16, prefetch: true, checkpoint_every: 0, checkpoint_every_steps: 5, keep_checkpoints: 100}
      metrics: [loss, accuracy, {type: f1, average: macro}, confusion_matrix, {type: top_k_accuracy, k: 2}]
      """;

  @TempDir static Path dir;
  static Path uninterrupted;

  @BeforeAll
  static void train() throws IOException {
    DataPipelineTest.writeImages(dir.resolve("f.npy"), dir.resolve("l.npy"), 300); // 240 training rows: 15 batches an epoch
    Path config = dir.resolve("mid-epoch.yaml");
    Files.writeString(config, CONFIG);
    uninterrupted = ShippedConfigsTest.train(config, dir.resolve("uninterrupted")).directory();
  }

  private static JsonArray index(Path run) throws IOException {
    return JsonParser.parseString(Files.readString(run.resolve("checkpoints/index.json"))).getAsJsonObject().getAsJsonArray("checkpoints");
  }

  /** A copy of the finished run as it was when {@code checkpoint} was its newest: later checkpoints and the results gone. */
  private static Path rewoundTo(JsonObject checkpoint, Path copy) throws IOException {
    try (Stream<Path> files = Files.walk(uninterrupted)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(uninterrupted.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(to);
        else Files.copy(f, to);
      }
    }
    JsonArray kept = new JsonArray();
    for (var e : index(copy)) {
      kept.add(e);
      if (e.equals(checkpoint)) break;
    }
    JsonObject root = new JsonObject();
    root.add("checkpoints", kept);
    Files.writeString(copy.resolve("checkpoints/index.json"), root.toString());
    Files.delete(copy.resolve(RunDirectory.WEIGHTS));
    Files.delete(copy.resolve(RunDirectory.SUMMARY));
    return copy;
  }

  /** metrics.csv without its last column (seconds, the only one that may differ). */
  private static List<String> metricsWithoutTime(Path run) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(RunDirectory.METRICS))) out.add(line.substring(0, line.lastIndexOf(',')));
    return out;
  }

  @Test
  void checkpointsAreTakenEveryNStepsInsideEpochs() throws IOException {
    JsonArray entries = index(uninterrupted);
    // 60 steps, one every 5, none after the last step
    assertThat(entries).hasSize(11);
    JsonObject third = entries.get(2).getAsJsonObject();
    assertThat(third.get("file").getAsString()).isEqualTo("epoch-000001.safetensors"); // step 15 ends epoch 1
    assertThat(third.get("step").getAsLong()).isEqualTo(15);
    JsonObject first = entries.get(0).getAsJsonObject();
    assertThat(first.get("file").getAsString()).isEqualTo("epoch-000001-batch-000005.safetensors");
    assertThat(first.get("epoch").getAsInt()).isZero();
    assertThat(first.get("batch").getAsInt()).isEqualTo(5);
  }

  @Test
  void resumingFromAnyMidEpochCheckpointGivesTheSameWeightsAndMetrics() throws IOException {
    String expected = Files.readString(uninterrupted.resolve(RunDirectory.SUMMARY)).replaceAll("(?s).*\"weights_sha256\": \"(\\w+)\".*", "$1");
    List<String> expectedMetrics = metricsWithoutTime(uninterrupted);
    int resumed = 0;
    for (var e : index(uninterrupted)) {
      JsonObject checkpoint = e.getAsJsonObject();
      if (!checkpoint.has("batch")) continue;
      Path copy = rewoundTo(checkpoint, dir.resolve("from-" + checkpoint.get("step").getAsLong()));
      List<String> warnings = new ArrayList<>();
      TrainingRun.Outcome outcome = TrainingRun.resume(ShippedConfigsTest.REGISTRY, copy, List.of(), List.of("resume"), warnings::add);
      assertThat(warnings).isEmpty();
      assertThat(outcome.weightsSha256()).as("resumed from " + checkpoint).isEqualTo(expected);
      assertThat(metricsWithoutTime(copy)).as("resumed from " + checkpoint).isEqualTo(expectedMetrics);
      JsonObject manifest = JsonParser.parseString(Files.readString(copy.resolve(RunDirectory.MANIFEST))).getAsJsonObject();
      JsonObject from = manifest.getAsJsonArray("resumed").get(0).getAsJsonObject();
      assertThat(from.get("from_batch").getAsInt()).isEqualTo(checkpoint.get("batch").getAsInt());
      assertThat(from.get("from_step").getAsLong()).isEqualTo(checkpoint.get("step").getAsLong());
      resumed++;
    }
    assertThat(resumed).isEqualTo(8); // steps 5, 10, 20, 25, 35, 40, 50, 55
  }
}
