package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.neurite.inference.Predictor;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch and Neurite exchange weights through plugins/standard/src/main/python/neurite_torch.py: the
 * torch model it builds from a run's config loads the run's weights.safetensors and predicts Neurite's
 * outputs; weights torch initialized and saved load into Neurite (as init_from does, by name) and
 * Neurite predicts torch's outputs. Both within 1e-5 of the outputs' scale. Skipped with a message
 * where Debian's python3-torch and python3-yaml are not installed, unless NEURITE_REQUIRE_TORCH=1 (set by .ci/run,
 * which installs them).
 */
class TorchRoundTripTest {
  static final Path SCRIPT = Path.of("../plugins/standard/src/main/python/neurite_torch.py").toAbsolutePath().normalize();
  @TempDir Path tmp;

  @BeforeAll
  static void needsTorch() throws Exception {
    boolean ok = false;
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, yaml, numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    if (!ok && "1".equals(System.getenv("NEURITE_REQUIRE_TORCH"))) {
      throw new AssertionError("NEURITE_REQUIRE_TORCH=1 but /usr/bin/python3 cannot import torch, yaml and numpy "
          + "(apt-get install python3-torch python3-yaml)");
    }
    assumeTrue(ok, "PyTorch is not installed (apt-get install python3-torch python3-yaml): the round trip with torch is skipped");
  }

  private static String python(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return out;
  }

  private static double worst(float[] neurite, JsonArray torch, int k) {
    double scale = 1e-30;
    for (float v : neurite) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int r = 0; r < torch.size(); r++) {
      JsonArray row = torch.get(r).getAsJsonArray();
      for (int j = 0; j < k; j++) worst = Math.max(worst, Math.abs(row.get(j).getAsDouble() - neurite[r * k + j]) / scale);
    }
    return worst;
  }

  /** A chain of every sequence layer, on parity's bits read as tokens: PyTorch's nn.LSTM, nn.GRU, nn.RNN, ... take its weights. */
  static final String SEQUENCE_MODEL = """
      name: sequence-layers
      seed: 4
      data:
        source: {type: synthetic, kind: parity, samples: 240, length: 12}
        split: {train: 0.8, test: 0.2}
      model:
        layers:
          - {type: reshape, shape: [12]}
          - {type: embedding, vocabulary: 2, dimension: 6}
          - positional_encoding
          - {type: multi_head_attention, heads: 2, causal: true, dropout: 0.1}
          - {type: transformer_encoder, heads: 3, feedforward: 8, dropout: 0.2}
          - {type: transformer_encoder, heads: 2, feedforward: 5, activation: gelu, norm_first: true, causal: true}
          - {type: layer_norm, last_axis: true}
          - {type: conv1d, filters: 6, kernel_size: 3, causal: true, dilation: 2}
          - {type: max_pool1d, kernel_size: 2}
          - {type: positional_encoding, kind: learned}
          - {type: lstm, units: 5, layers: 2, bidirectional: true, return_sequences: true, forget_bias: 1}
          - {type: avg_pool1d, kernel_size: 2, stride: 1, padding: 1, count_include_pad: false}
          - {type: gru, units: 4, return_sequences: true}
          - {type: dense, units: 4, activation: tanh}
          - {type: simple_rnn, units: 3, nonlinearity: relu, bidirectional: true, return_sequences: true}
          - global_max_pool1d
          - {type: dense, units: 2}
      loss: softmax_cross_entropy
      optimizer: {type: adam, lr: 0.01}
      training: {epochs: 2, batch_size: 16}
      metrics: [loss, accuracy]
      """;

  /** A recurrence read at its last step by the last reducer. */
  static final String LAST_STEP_MODEL = """
      name: last-step
      seed: 4
      data:
        source: {type: synthetic, kind: parity, samples: 240, length: 12}
        split: {train: 0.8, test: 0.2}
      model:
        layers:
          - {type: reshape, shape: [12]}
          - {type: embedding, vocabulary: 2, dimension: 4}
          - {type: gru, units: 5, bidirectional: true, return_sequences: true}
          - last
          - {type: dense, units: 2}
      loss: softmax_cross_entropy
      optimizer: {type: adam, lr: 0.01}
      training: {epochs: 2, batch_size: 16}
      metrics: [loss, accuracy]
      """;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"digits-cnn.yaml", "digits-mlp.yaml", "iris.yaml", "sequence layers", "last step"})
  void weightsGoBothWaysAndThePredictionsAgree(String config) throws Exception {
    Path file = Path.of(config);
    if (config.equals("sequence layers") || config.equals("last step")) {
      file = tmp.resolve("sequence.yaml");
      Files.writeString(file, config.equals("last step") ? LAST_STEP_MODEL : SEQUENCE_MODEL);
    }
    Path run = ShippedConfigsTest.train(file, tmp.resolve("run")).directory();
    Dataset raw = SavedRun.open(ShippedConfigsTest.REGISTRY, run, List.of()).experiment().source();
    int n = Math.min(200, raw.size());
    int width = raw.sampleShape().size();
    float[][] rows = new float[n][width];
    float[] y = new float[Math.max(1, raw.targetShape().size())];
    JsonArray json = new JsonArray();
    for (int i = 0; i < n; i++) {
      raw.read(i, rows[i], 0, y, 0);
      JsonArray row = new JsonArray();
      for (float v : rows[i]) row.add(v);
      json.add(row);
    }
    Path rowsFile = tmp.resolve("rows.json");
    Files.writeString(rowsFile, json.toString());
    Predictor neurite = Predictor.load(run);
    int k = neurite.outputCount();
    // Neurite's trained weights in torch
    double out = worst(neurite.outputs(rows), JsonParser.parseString(python("predict", run.toString(), rowsFile.toString())).getAsJsonArray(), k);
    // torch's own initial weights in Neurite: the run with its weights replaced
    Path torchWeights = tmp.resolve("torch.safetensors");
    python("init", run.toString(), torchWeights.toString(), "--seed", "3");
    Path swapped = tmp.resolve("swapped");
    ReportTest.copy(run, swapped);
    Files.copy(torchWeights, swapped.resolve(RunDirectory.WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
    double in = worst(Predictor.load(swapped).outputs(rows),
        JsonParser.parseString(python("predict", swapped.toString(), rowsFile.toString())).getAsJsonArray(), k);
    System.out.printf("%s: torch against Neurite, largest difference %.2g (Neurite's weights in torch), %.2g (torch's weights in Neurite)%n",
        config, out, in);
    assertThat(out).isLessThanOrEqualTo(1e-5);
    assertThat(in).isLessThanOrEqualTo(1e-5);
  }
}
