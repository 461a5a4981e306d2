package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.init_from} and {@code trainable: false}: fine-tuning the digits MLP's first layer under a
 * new head leaves that layer's bytes as loaded; a strict load of the same run reproduces its weights;
 * bad weight files are one clear error each; a frozen batch norm keeps its statistics; reproduce checks
 * the loaded file.
 */
class InitFromTest {
  @TempDir static Path shared;
  static Path base;
  static Path digits;
  @TempDir Path tmp;

  @BeforeAll
  static void baseRun() throws IOException {
    digits = shared.resolve("digits.yaml");
    Files.writeString(digits, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    base = ShippedConfigsTest.train(digits, shared.resolve("base")).directory();
  }

  private static TrainingRun.Outcome train(Path config, Path out, String... overrides) {
    return TrainingRun.train(ShippedConfigsTest.REGISTRY, List.of(config), List.of(overrides), new TrainingRun.Options(out, null, List.of()));
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void fineTuningKeepsTheFrozenLayersBytesAndTrainsTheNewHead() throws IOException {
    TrainingRun.Outcome tuned = train(Path.of("digits-finetune.yaml"), tmp.resolve("tuned"), "model.init_from.path=" + base);
    Map<String, Tensor> before = SafeTensors.read(base.resolve(RunDirectory.WEIGHTS));
    Map<String, Tensor> after = SafeTensors.read(tuned.directory().resolve(RunDirectory.WEIGHTS));
    for (String frozen : List.of("layers.0.weight", "layers.0.bias")) {
      assertThat(after.get(frozen).data()).as(frozen + ", frozen").isEqualTo(before.get(frozen).data());
    }
    assertThat(tuned.initialWeights().loaded()).containsExactly("layers.0.weight", "layers.0.bias");
    assertThat(tuned.initialWeights().initialized()).containsExactly("layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias");
    assertThat(tuned.initialWeights().unused()).containsExactly("layers.3.weight", "layers.3.bias");
    // the new head learned on the frozen features
    double accuracy = json(tuned.directory().resolve(RunDirectory.SUMMARY)).getAsJsonObject("test").get("accuracy").getAsDouble();
    assertThat(accuracy).isGreaterThan(0.93);
    JsonObject manifest = json(tuned.directory().resolve(RunDirectory.MANIFEST));
    assertThat(manifest.getAsJsonObject("init_from").get("path").getAsString()).isEqualTo(base.resolve(RunDirectory.WEIGHTS).toString());
    assertThat(manifest.getAsJsonObject("init_from").get("sha256").getAsString())
        .isEqualTo(dev.neurite.run.Hashes.sha256(base.resolve(RunDirectory.WEIGHTS)));
    assertThat(manifest.getAsJsonArray("frozen_layers").toString()).isEqualTo("[\"layers[0]\"]");
    // and the diagnostics see it: the frozen weights' update ratio is 0
    assertThat(dev.neurite.report.Table.read(tuned.directory().resolve(RunDirectory.DIAGNOSTICS)).column("update_ratio:layers.0.weight"))
        .containsOnly(0.0);
  }

  @Test
  void reproduceChecksTheLoadedFile() throws IOException {
    Path weights = tmp.resolve("start.safetensors");
    Files.copy(base.resolve(RunDirectory.WEIGHTS), weights);
    Path run = train(Path.of("digits-finetune.yaml"), tmp.resolve("tuned"), "model.init_from.path=" + weights,
        "training.epochs=2").directory();
    CommandLineTest.Result same = CommandLineTest.run("reproduce", run.toString(), "--out", tmp.resolve("again").toString());
    assertThat(same.code()).as(same.out() + same.err()).isZero();
    Map<String, Tensor> changed = new LinkedHashMap<>(SafeTensors.read(weights));
    changed.get("layers.0.bias").data()[0] += 1;
    SafeTensors.write(weights, changed, Map.of());
    CommandLineTest.Result differs = CommandLineTest.run("reproduce", run.toString(), "--out", tmp.resolve("again2").toString());
    assertThat(differs.code()).isNotZero();
    assertThat(differs.out() + differs.err()).contains(weights + " (model.init_from): sha256 ");
  }

  @Test
  void aStrictLoadOfARunStartsFromItsWeights() throws IOException {
    // 0 epochs are not allowed: one epoch at a learning rate that barely moves shows the loaded start
    TrainingRun.Outcome again = train(digits, tmp.resolve("again"), "model.init_from={path: " + base + "}", "training.epochs=1",
        "optimizer.lr=1e-30", "regularizers=[]");
    Map<String, Tensor> before = SafeTensors.read(base.resolve(RunDirectory.WEIGHTS));
    Map<String, Tensor> after = SafeTensors.read(again.directory().resolve(RunDirectory.WEIGHTS));
    for (String name : before.keySet()) assertThat(after.get(name).data()).as(name).isEqualTo(before.get(name).data());
    assertThat(again.initialWeights().loaded()).hasSize(4);
    assertThat(again.initialWeights().initialized()).isEmpty();
  }

  @Test
  void badWeightFilesAreOneClearErrorEach() throws IOException {
    Map<String, Tensor> good = SafeTensors.read(base.resolve(RunDirectory.WEIGHTS));
    Map<String, Tensor> missing = new LinkedHashMap<>(good);
    missing.remove("layers.3.bias");
    assertThat(error(write("missing", missing), "")).contains("layers.3.bias is missing");
    Map<String, Tensor> shape = new LinkedHashMap<>(good);
    shape.put("layers.3.bias", Tensor.zeros(11));
    assertThat(error(write("shape", shape), "")).contains("layers.3.bias has shape [11], the model needs [10]");
    Map<String, Tensor> extra = new LinkedHashMap<>(good);
    extra.put("fc9.weight", Tensor.zeros(2));
    assertThat(error(write("extra", extra), "")).contains("the model has no fc9.weight (rename with model.init_from.map");
    assertThat(error(write("renamed", extra), ", map: {fc9.weight: nothing.here}")).contains("the model has no nothing.here");
    assertThat(error(write("wrongmap", good), ", map: {fc1.weight: layers.0.weight}"))
        .contains("model.init_from.map names fc1.weight, which", "does not have (it has: layers.0.weight, layers.0.bias");
    // a float64 tensor: only float32 is read
    Path f64 = tmp.resolve("f64.safetensors");
    byte[] header = "{\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}".getBytes();
    byte[] bytes = new byte[8 + header.length + 8];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
    Files.write(f64, bytes);
    assertThat(error(f64, "")).contains("tensor 'layers.0.bias' is F64; only F32 is supported");
    // a truncated file
    Path truncated = tmp.resolve("truncated.safetensors");
    byte[] all = Files.readAllBytes(base.resolve(RunDirectory.WEIGHTS));
    Files.write(truncated, Arrays.copyOf(all, all.length - 100));
    assertThat(error(truncated, "")).startsWith("model.init_from: " + truncated);
    // a run directory that did not complete
    Path empty = Files.createDirectories(tmp.resolve("unfinished"));
    assertThat(error(empty, "")).contains("no such file", "(the run directory has no weights: did it complete?)");
  }

  private Path write(String name, Map<String, Tensor> tensors) throws IOException {
    Path f = tmp.resolve(name + ".safetensors");
    SafeTensors.write(f, tensors, Map.of());
    return f;
  }

  private String error(Path weights, String extra) {
    Throwable t = catchThrowable(() -> train(digits, tmp.resolve("run-" + System.nanoTime()), "model.init_from={path: " + weights + extra + "}"));
    assertThat(t).isInstanceOf(NeuriteException.class);
    return t.getMessage();
  }

  @Test
  void aFrozenBatchNormKeepsItsStatisticsAndItsParams() throws IOException {
    Path config = tmp.resolve("bn.yaml");
    Files.writeString(config, """
        name: bn
        data: {source: {type: synthetic, kind: blobs, samples: 300, features: 4, classes: 3}, split: {train: 0.8, test: 0.2}}
        model:
          layers: [{type: batch_norm, trainable: false}, {type: dense, units: 3}]
        loss: softmax_cross_entropy
        optimizer: {type: adamw, lr: 0.01, weight_decay: 0.1}
        training: {epochs: 3, batch_size: 16}
        metrics: [loss, accuracy]
        """);
    Path run = train(config, tmp.resolve("bn")).directory();
    Map<String, Tensor> w = SafeTensors.read(run.resolve(RunDirectory.WEIGHTS));
    // as initialized: gamma 1, beta 0 (no update, no decay), running mean 0 and variance 1 (no statistics gathered)
    assertThat(w.get("layers.0.weight").data()).containsOnly(1f);
    assertThat(w.get("layers.0.bias").data()).containsOnly(0f);
    assertThat(w.get("layers.0.running_mean").data()).containsOnly(0f);
    assertThat(w.get("layers.0.running_var").data()).containsOnly(1f);
    assertThat(w.get("layers.1.weight").data()).isNotEqualTo(new float[12]);
    assertThat(Files.readString(run.resolve(RunDirectory.CONFIG))).contains("trainable: false");
  }
}
