package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.ConfigException;
import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data path end to end: sources, splits, transforms, augmentation and prefetch inside real training runs. */
class DataPipelineTest {
  @TempDir Path tmp;

  /** A small CNN on [1, 6, 6] images from f.npy and l.npy; %1$s is the augment list, %2$s the prefetch flag. */
  private static final String CNN = """
      name: aug
      seed: 3
      data:
        source: {type: npy, features: f.npy, labels: l.npy}
        split: {train: 0.8, test: 0.2}
        augment: %1$s
      model:
        layers:
          - {type: conv2d, filters: 4, kernel_size: 3, padding: 1, activation: relu}
          - flatten
          - {type: dense, units: 3}
      loss: softmax_cross_entropy
      optimizer: {type: adam, lr: 0.01}
      training: {epochs: 3, batch_size: 16, prefetch: %2$s}
      metrics: [loss, accuracy]
      """;
  private static final String AUGMENT = "[{type: gaussian_noise, std: 0.1}, {type: random_shift, max_pixels: 1}, {type: cutout, size: 2}]";

  private Path write(String name, String yaml) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  private static JsonObject summary(Path run) throws IOException {
    return JsonParser.parseString(Files.readString(run.resolve(RunDirectory.SUMMARY))).getAsJsonObject();
  }

  @Test
  void prefetchingChangesNothingButTheSpeed() throws IOException {
    writeImages(tmp.resolve("f.npy"), tmp.resolve("l.npy"), 300);
    TrainingRun.Outcome with = ShippedConfigsTest.train(write("with.yaml", CNN.formatted(AUGMENT, true)), tmp.resolve("with"));
    TrainingRun.Outcome without = ShippedConfigsTest.train(write("without.yaml", CNN.formatted(AUGMENT, false)), tmp.resolve("without"));
    assertThat(Files.readAllBytes(with.directory().resolve(RunDirectory.WEIGHTS)))
        .isEqualTo(Files.readAllBytes(without.directory().resolve(RunDirectory.WEIGHTS)));
    assertThat(summary(with.directory()).getAsJsonObject("test").get("accuracy").getAsDouble()).isGreaterThan(0.9);
    // the augmentations are really applied: without them the weights differ
    TrainingRun.Outcome plain = ShippedConfigsTest.train(write("plain.yaml", CNN.formatted("[]", true)), tmp.resolve("plain"));
    assertThat(plain.weightsSha256()).isNotEqualTo(with.weightsSha256());
  }

  /** n images [n, 1, 6, 6] of float32 whose class (0..2) is the bright row band, as a .npy pair. */
  static void writeImages(Path features, Path labels, int n) throws IOException {
    java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(n * 36 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(n * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    dev.neurite.spi.RandomStream r = new dev.neurite.spi.RandomStream(9);
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      for (int p = 0; p < 36; p++) x.putFloat((p / 6) / 2 == c ? 1f + (float) r.nextGaussian() * 0.3f : (float) r.nextGaussian() * 0.3f);
      y.putLong(c);
    }
    Files.write(features, npy("<f4", "(" + n + ", 1, 6, 6)", x.array()));
    Files.write(labels, npy("<i8", "(" + n + ",)", y.array()));
  }

  static byte[] npy(String descr, String shape, byte[] data) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] out = new byte[10 + h.length + data.length];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, out, 1, 5);
    out[6] = 1;
    out[8] = (byte) (h.length & 0xff);
    out[9] = (byte) (h.length >> 8);
    System.arraycopy(h, 0, out, 10, h.length);
    System.arraycopy(data, 0, out, 10 + h.length, data.length);
    return out;
  }

  @Test
  void augmentationOfFlatSamplesIsAConfigErrorAtItsPosition() throws IOException {
    Path f = write("flat.yaml", CNN.formatted(AUGMENT, true)
        .replace("{type: npy, features: f.npy, labels: l.npy}", "{type: synthetic, kind: blobs, features: 36}"));
    assertThatThrownBy(() -> ShippedConfigsTest.train(f, tmp.resolve("x"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(f + ":6:47: data.augment[1]: random_shift needs image samples of shape [channels, height, width], got [36]");
  }

  @Test
  void stratifiedSplitsKeepEveryClassShare() throws IOException {
    Path f = write("strat.yaml", """
        name: strat
        data:
          source: {type: synthetic, kind: blobs, samples: 400, classes: 4}
          split: {train: 0.5, validation: 0.25, test: 0.25, stratify: true}
        model: {layers: [{type: dense, units: 4}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1}
        """);
    LoadedExperiment loaded = new ExperimentLoader(ShippedConfigsTest.REGISTRY).load(f);
    Experiment e = Experiment.prepare(loaded);
    for (Dataset split : new Dataset[] {e.splits().train(), e.splits().validation(), e.splits().test()}) {
      int[] counts = new int[4];
      for (float v : split.allTargets().data()) counts[(int) v]++;
      int each = split.size() / 4;
      assertThat(counts).containsExactly(each, each, each, each);
    }
  }

  @Test
  void separateSourcesMustMatchAndReplaceTheirSplitFraction() throws IOException {
    String base = """
        name: sep
        data:
          source: {type: synthetic, kind: blobs, samples: 100, classes: 2, features: %d}
          test: {type: synthetic, kind: two_moons, samples: 50}
          split: {train: %s, test: %s}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1}
        """;
    Path clash = write("clash.yaml", base.formatted(2, "0.8", "0.2"));
    assertThatThrownBy(() -> Experiment.prepare(new ExperimentLoader(ShippedConfigsTest.REGISTRY).load(clash)))
        .hasMessageContaining("data.split.test: data.test is a separate source, so split.test must be 0 (it is 0.2)");
    Path shapes = write("shapes.yaml", base.formatted(3, "1.0", "0"));
    assertThatThrownBy(() -> Experiment.prepare(new ExperimentLoader(ShippedConfigsTest.REGISTRY).load(shapes)))
        .hasMessageContaining(shapes + ":4:9: data.test: samples of shape [2] with targets [1], but data.source has samples [3] with targets [1]");
    Experiment ok = Experiment.prepare(new ExperimentLoader(ShippedConfigsTest.REGISTRY).load(write("ok.yaml", base.formatted(2, "1.0", "0"))));
    assertThat(ok.splits().train().size()).isEqualTo(100);
    assertThat(ok.splits().test().size()).isEqualTo(50);
  }

  @Test
  void csvPreprocessingIsFittedOnTrainingRowsAndCountedInTheSummary() throws IOException {
    StringBuilder rows = new StringBuilder("x,colour,y\n");
    for (int i = 0; i < 40; i++) rows.append(i % 10 == 3 ? "" : i).append(',').append(i % 10 == 6 ? "" : i % 2 == 0 ? "red" : "blue").append(',').append(i % 2).append('\n');
    Files.writeString(tmp.resolve("t.csv"), rows.toString());
    Path f = write("csv.yaml", """
        name: csv
        data:
          source: {type: csv, path: t.csv, label: y, categorical: [colour], missing: drop}
          split: {train: 0.5, test: 0.5}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1, batch_size: 4}
        metrics: [accuracy]
        """);
    TrainingRun.Outcome o = ShippedConfigsTest.train(f, tmp.resolve("run"));
    JsonObject s = summary(o.directory());
    assertThat(s.getAsJsonObject("data").getAsJsonObject("source").get("rows_dropped").getAsInt()).isEqualTo(8);
    assertThat(s.getAsJsonObject("rows").get("train").getAsInt() + s.getAsJsonObject("rows").get("test").getAsInt()).isEqualTo(32);
    Map<String, dev.neurite.tensor.Tensor> weights = dev.neurite.run.SafeTensors.read(o.directory().resolve(RunDirectory.WEIGHTS));
    assertThat(weights.get("layers.0.weight").shape().dims()).containsExactly(2, 3); // x + two colour levels
    String transforms = new String(Files.readAllBytes(o.directory().resolve(RunDirectory.TRANSFORMS)), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(transforms).contains("source.0.levels.1").contains("[\\\"blue\\\",\\\"red\\\"]");
  }

  @Test
  void predictAppliesTheSavedCategoryLevelsAndMeansToNewRows() throws IOException {
    StringBuilder rows = new StringBuilder("x,colour,y\n");
    for (int i = 0; i < 60; i++) rows.append(i % 7 == 3 ? "" : i % 10).append(',').append(i % 2 == 0 ? "red" : "blue").append(',').append(i % 2).append('\n');
    Files.writeString(tmp.resolve("t.csv"), rows.toString());
    Path f = write("cat.yaml", """
        name: cat
        data:
          source: {type: csv, path: t.csv, label: y, categorical: [colour], missing: mean}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.5}
        training: {epochs: 20}
        metrics: [accuracy]
        """);
    Path run = tmp.resolve("cat-run");
    assertThat(CommandLineTest.run("train", f.toString(), "--out", run.toString(), "--quiet").code()).isZero();
    Files.writeString(tmp.resolve("new.csv"), "colour,x\nblue,\nred,4\n"); // other column order, a missing x, no label
    CommandLineTest.Result p = CommandLineTest.run("predict", run.toString(), tmp.resolve("new.csv").toString());
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("1,"); // blue is class 1 in the training data
    assertThat(lines.get(2)).startsWith("0,");
    Files.writeString(tmp.resolve("green.csv"), "x,colour\n1,green\n");
    CommandLineTest.Result green = CommandLineTest.run("predict", run.toString(), tmp.resolve("green.csv").toString());
    assertThat(green.code()).isEqualTo(1);
    assertThat(green.err()).contains("column 'colour' has category 'green', which the training split does not have (its levels: blue, red)");
  }

  @Test
  void environmentReferencesAreResolvedAndRecorded() throws IOException {
    Files.writeString(tmp.resolve("e.csv"), "a,y\n1,0\n2,1\n");
    Path f = write("env.yaml", """
        name: env
        data:
          source: {type: csv, path: "${env:NEURITE_TEST_DIR:-.}/e.csv", label: y}
        model: {layers: [{type: dense, units: "${env:NEURITE_TEST_UNITS:-2}"}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: "${env:NEURITE_TEST_EPOCHS}"}
        """);
    ExperimentLoader loader = new ExperimentLoader(ShippedConfigsTest.REGISTRY);
    assertThatThrownBy(() -> loader.load(f, name -> null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(f + ":7:20: training.epochs: environment variable NEURITE_TEST_EPOCHS is not set; "
            + "set it, or give a default: ${env:NEURITE_TEST_EPOCHS:-default}");
    Map<String, String> env = Map.of("NEURITE_TEST_EPOCHS", "2", "NEURITE_TEST_DIR", tmp.toString());
    LoadedExperiment loaded = loader.load(f, env::get);
    assertThat(loaded.spec().training().epochs()).isEqualTo(2);
    assertThat(loaded.resolvedYaml()).contains("path: " + tmp.resolve("e.csv")).contains("units: 2").doesNotContain("${");

    // a relative path from the environment is relative to the working directory where it was set (here configs/),
    // a default written in the file to the file's folder
    Map<String, String> relative = Map.of("NEURITE_TEST_EPOCHS", "2", "NEURITE_TEST_DIR", "../configs/data");
    assertThat(loader.load(f, relative::get).resolvedYaml()).contains("path: " + Path.of("data/e.csv").toAbsolutePath().normalize());
    Map<String, String> unset = Map.of("NEURITE_TEST_EPOCHS", "2");
    assertThat(loader.load(f, unset::get).resolvedYaml()).contains("path: " + tmp.resolve("e.csv"));
  }

  @Test
  void aLabelOutOfRangeInTheTestSourceIsCaughtBeforeTraining() throws IOException {
    Files.writeString(tmp.resolve("a.csv"), "a,y\n1,0\n2,1\n");
    Files.writeString(tmp.resolve("b.csv"), "a,y\n1,0\n2,5\n");
    Path f = write("range.yaml", """
        name: range
        data:
          source: {type: csv, path: a.csv, label: y}
          test: {type: csv, path: b.csv, label: y}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1}
        """);
    assertThatThrownBy(() -> ShippedConfigsTest.train(f, tmp.resolve("r"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(f + ":6:7: loss: model output shape [2] and the test split's targets [1] do not fit: "
            + "the labels go up to 5 (first at " + tmp.resolve("b.csv") + " line 3) but the model scores 2 classes; the last layer needs units: 6");
    assertThat(tmp.resolve("r")).doesNotExist(); // nothing is written before the data is checked
  }

  @Test
  void theManifestHashesTheFilesOfEverySource() throws IOException {
    Files.writeString(tmp.resolve("a.csv"), "a,y\n1,0\n2,1\n");
    Files.writeString(tmp.resolve("b.csv"), "a,y\n3,1\n");
    Path f = write("two.yaml", """
        name: two
        data:
          source: {type: csv, path: a.csv, label: y}
          test: {type: csv, path: b.csv, label: y}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1, batch_size: 2}
        """);
    TrainingRun.Outcome o = ShippedConfigsTest.train(f, tmp.resolve("m"));
    var data = JsonParser.parseString(Files.readString(o.directory().resolve("manifest.json"))).getAsJsonObject().getAsJsonArray("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(1).getAsJsonObject().get("source").getAsString()).isEqualTo("data.test");
    assertThat(data.get(1).getAsJsonObject().get("sha256").getAsString()).isEqualTo(dev.neurite.run.Hashes.sha256(tmp.resolve("b.csv")));
  }

  @Test
  void batchNormRunningStatisticsAreSavedWithTheWeights() throws IOException {
    Path f = write("bn.yaml", """
        name: bn
        data:
          source: {type: synthetic, kind: blobs, samples: 200, classes: 2, features: 3}
        model:
          layers:
            - {type: dense, units: 4}
            - batch_norm
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 2}
        """);
    TrainingRun.Outcome o = ShippedConfigsTest.train(f, tmp.resolve("bn-run"));
    Map<String, dev.neurite.tensor.Tensor> w = dev.neurite.run.SafeTensors.read(o.directory().resolve(RunDirectory.WEIGHTS));
    // the same names as PyTorch's BatchNorm buffers, and the values the layer evaluates with
    dev.neurite.spi.State state = ((dev.neurite.spi.Stateful) o.experiment().model().layers().get(1)).state();
    assertThat(w.get("layers.1.running_mean").data()).containsExactly(state.tensors().get("running_mean").data());
    assertThat(w.get("layers.1.running_var").data()).containsExactly(state.tensors().get("running_var").data());
    assertThat(w.get("layers.1.running_mean").data()).isNotEqualTo(new float[4]); // it has moved from its start
  }

  @Test
  void aBrokenSourceIsNamedWithItsConfigPosition() throws IOException {
    Path f = write("broken.yaml", """
        name: broken
        data:
          source: {type: idx, images: none-images.gz, labels: none-labels.gz}
        model: {layers: [{type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 1}
        """);
    assertThatThrownBy(() -> ShippedConfigsTest.train(f, tmp.resolve("b"))).isInstanceOf(NeuriteException.class)
        .hasMessage("data.source (" + f + ":3:11): " + tmp.resolve("none-images.gz") + ": file not found");
  }
}
