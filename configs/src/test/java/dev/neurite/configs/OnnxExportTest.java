package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.neurite.onnx.OnnxExport;
import dev.neurite.run.Hashes;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./neurite export}: the exported model, run by ONNX Runtime on the data source's raw rows,
 * gives Neurite's outputs (the saved preprocessing and the model in inference mode) within 1e-5 of the
 * outputs' scale, for every shipped config and for a model with every exportable layer and transform.
 */
class OnnxExportTest {
  /** Agreement required, relative to the largest output (different summation orders in the GEMMs). */
  static final double TOLERANCE = 1e-5;
  @TempDir Path tmp;

  /** The largest difference between ORT's outputs and Neurite's over the first {@code rows} rows, relative to the outputs' scale. */
  static double agreement(Path run, Path onnx, int rows) throws IOException, OrtException {
    return agreementWith(ShippedConfigsTest.REGISTRY, run, onnx, rows);
  }

  static double agreementWith(dev.neurite.inject.ComponentRegistry registry, Path run, Path onnx, int rows) throws IOException, OrtException {
    Experiment experiment = SavedRun.open(registry, run, List.of()).experiment();
    Dataset raw = experiment.source();
    int n = Math.min(rows, raw.size());
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Dataset first = raw.rows(order);
    int width = raw.sampleShape().size();
    float[] x = new float[n * width];
    float[] y = new float[Math.max(1, raw.targetShape().size())];
    for (int i = 0; i < n; i++) first.read(i, x, i * width, y, 0);
    int k = experiment.outputShape().size();
    float[] neurite = new float[n * k];
    int[] at = {0};
    new Trainer(experiment).outputs(experiment.preprocess(first), batch -> {
      System.arraycopy(batch.data(), 0, neurite, at[0], batch.size());
      at[0] += batch.size();
    });
    long[] shape = new long[raw.sampleShape().rank() + 1];
    shape[0] = n;
    for (int d = 0; d < raw.sampleShape().rank(); d++) shape[d + 1] = raw.sampleShape().dim(d);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] ort;
    try (OrtSession session = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
         OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
         OrtSession.Result result = session.run(Map.of("input", input))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      ort = new float[out.remaining()];
      out.get(ort);
      assertThat(session.getMetadata().getCustomMetadata()).containsEntry("weights_sha256", Hashes.sha256(run.resolve(RunDirectory.WEIGHTS)));
    }
    assertThat(ort).hasSize(neurite.length);
    double scale = 1e-30;
    for (float v : neurite) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < ort.length; i++) worst = Math.max(worst, Math.abs(ort[i] - neurite[i]) / scale);
    return worst;
  }

  static Path export(Path run, Path out) {
    CommandLineTest.Result r = CommandLineTest.run("export", run.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("exported " + out + " (");
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"xor.yaml", "iris.yaml", "digits-mlp.yaml", "digits-cnn.yaml", "digits-residual.yaml", "weather-forecast.yaml"})
  void everyShippedConfigExportsAndOnnxRuntimeAgrees(String config) throws Exception {
    if (config.equals("weather-forecast.yaml")) ShippedConfigsTest.assumeDebianData(ShippedConfigsTest.SEATTLE_WEATHER, "python3-vega-datasets");
    Path run = ShippedConfigsTest.train(Path.of(config), tmp.resolve("run")).directory();
    double worst = agreement(run, export(run, tmp.resolve("model.onnx")), 2000);
    System.out.printf("%s: ONNX Runtime against Neurite, largest difference %.2g of the outputs' scale%n", config, worst);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void aModelWithEveryExportableLayerAndTransformAgrees() throws Exception {
    trainExportAndCompare("every", "every layer", """
        name: every-layer
        seed: 11
        data:
          source: {type: synthetic, kind: blobs, samples: 600, features: 64, classes: 3}
          split: {train: 0.8, test: 0.2}
          transforms: [{type: clip, min: -6, max: 6}, {type: min_max, min: -1, max: 1}, {type: scale, subtract: 0.1, divide_by: 2}, standardize]
        model:
          layers:
            - {type: reshape, shape: [1, 8, 8]}
            - {type: conv2d, filters: 4, kernel_size: 3, padding: 1, activation: relu}
            - batch_norm
            - {type: conv2d, filters: 4, kernel_size: 3, stride: 2, padding: 2, dilation: 2, activation: tanh}
            - {type: max_pool2d, kernel_size: 2, stride: 1}
            - {type: avg_pool2d, kernel_size: 2, padding: 1, count_include_pad: false, name: pooled}
            - {type: global_avg_pool2d, inputs: [pooled], name: global}
            - {type: flatten, inputs: [pooled], name: flat}
            - {type: concat, inputs: [global, flat]}
            - layer_norm
            - {type: dense, units: 16, activation: gelu}
            - {type: dropout, rate: 0.2, name: a}
            - {type: dense, units: 16, activation: {type: gelu, approximate: tanh}}
            - {type: leaky_relu, negative_slope: 0.1}
            - {type: elu, alpha: 0.5}
            - {type: softplus, beta: 2, threshold: 5}
            - {type: gaussian_noise, stddev: 0.1}
            - {type: swish, name: b}
            - {type: add, inputs: [a, b]}
            - sigmoid
            - {type: dense, units: 3, bias: false}
            - log_softmax
        loss: nll
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        metrics: [loss, accuracy]
        """, 600);
  }

  /**
   * The sequence layers: recurrent ones as ONNX's LSTM, GRU and RNN operators (stacked and bidirectional,
   * every step's states into dense on each step, a relu recurrence, the last states), conv1d (causal,
   * strided, dilated), the pooling over time, attention, positional encodings and Transformer encoder blocks.
   */
  @Test
  void aModelWithEverySequenceLayerAgrees() throws Exception {
    trainExportAndCompare("sequence", "sequence layers", """
        name: every-sequence-layer
        seed: 12
        data:
          source: {type: synthetic, kind: blobs, samples: 300, features: 48, classes: 3}
          split: {train: 0.8, test: 0.2}
          transforms: [standardize]
        model:
          layers:
            - {type: reshape, shape: [8, 6]}
            - {type: conv1d, filters: 6, kernel_size: 3, causal: true, dilation: 2}
            - {type: max_pool1d, kernel_size: 3, stride: 1, padding: 1}
            - {type: conv1d, filters: 6, kernel_size: 2, padding: 1, bias: false}
            - {type: avg_pool1d, kernel_size: 2, stride: 1, padding: 1, count_include_pad: false}
            - positional_encoding
            - {type: multi_head_attention, heads: 2, causal: true}
            - {type: transformer_encoder, heads: 3, feedforward: 8}
            - {type: transformer_encoder, heads: 2, feedforward: 5, activation: gelu, norm_first: true, causal: true}
            - {type: positional_encoding, kind: learned}
            - {type: layer_norm, last_axis: true, name: features}
            - {type: lstm, units: 5, layers: 2, bidirectional: true, return_sequences: true, forget_bias: 1}
            - {type: dense, units: 4, activation: tanh}
            - {type: gru, units: 4, bidirectional: true, return_sequences: true, name: gru}
            - {type: simple_rnn, units: 3, nonlinearity: relu, layers: 2, bidirectional: true, name: relu}
            - {type: simple_rnn, units: 3, bias: false, inputs: [gru], name: tanh}
            - {type: gru, units: 2, layers: 2, bias: false, inputs: [gru], name: plain}
            - {type: lstm, units: 2, inputs: [gru], name: single}
            - {type: global_max_pool1d, inputs: [gru], name: max}
            - {type: global_avg_pool1d, inputs: [features], name: mean}
            - {type: concat, inputs: [relu, tanh, plain, single, max, mean]}
            - {type: dense, units: 3}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        metrics: [loss, accuracy]
        """, 300);
  }

  /** embedding as Gather, on token inputs: parity's bits, each step a token of a vocabulary of 2. */
  @Test
  void anEmbeddingModelAgrees() throws Exception {
    trainExportAndCompare("embedding", "embedding", """
        name: embedding
        seed: 5
        data:
          source: {type: synthetic, kind: parity, samples: 200, length: 6}
          split: {train: 0.8, test: 0.2}
        model:
          layers:
            - {type: reshape, shape: [6]}
            - {type: embedding, vocabulary: 2, dimension: 3, max_norm: 2}
            - {type: lstm, units: 4}
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 2, batch_size: 16}
        metrics: [loss, accuracy]
        """, 200);
  }

  @Test
  void theLastStepReducerAgreesAndAPaddingMaskIsRefusedByName() throws Exception {
    trainExportAndCompare("last", "gru + last", """
        name: last
        seed: 6
        data:
          source: {type: synthetic, kind: parity, samples: 200, length: 6}
          split: {train: 0.8, test: 0.2}
        model:
          layers:
            - {type: gru, units: 4, return_sequences: true}
            - last
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 2, batch_size: 16}
        metrics: [loss, accuracy]
        """, 200);
    Path config = tmp.resolve("masked.yaml");
    Files.writeString(config, """
        name: masked
        seed: 6
        data:
          source: {type: synthetic, kind: copy_memory, samples: 64, length: 3}
          split: {train: 0.5, test: 0.5}
        model:
          layers:
            - {type: embedding, vocabulary: 10, dimension: 4, padding_index: 0}
            - {type: lstm, units: 4, return_sequences: true}
            - {type: dense, units: 10}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 1, batch_size: 16}
        """);
    Path run = ShippedConfigsTest.train(config, tmp.resolve("masked-run")).directory();
    CommandLineTest.Result r = CommandLineTest.run("export", run.toString(), "--out", tmp.resolve("masked.onnx").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("layer model.layers[0] starts a padding mask (an embedding's padding_index, or masking), and the ONNX "
        + "export does not carry padding masks");
    assertThat(tmp.resolve("masked.onnx")).doesNotExist();
  }

  /** Trains the config {@code yaml} as {@code name}.yaml, exports it and checks ONNX Runtime against Neurite on {@code rows} rows. */
  private void trainExportAndCompare(String name, String label, String yaml, int rows) throws Exception {
    Path config = tmp.resolve(name + ".yaml");
    Files.writeString(config, yaml);
    Path run = ShippedConfigsTest.train(config, tmp.resolve("run")).directory();
    double worst = agreement(run, export(run, tmp.resolve(name + ".onnx")), rows);
    System.out.printf("%s: ONNX Runtime against Neurite, largest difference %.2g of the outputs' scale%n", label, worst);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  /** The example plugin's acme:mish writes itself through OnnxExportable, so the third-party config exports too. */
  @Test
  void aThirdPartyLayerExportsItself() throws Exception {
    Path acme = Path.of("../plugins/example/target/plugin");
    CommandLineTest.Result trained = CommandLineTest.run("train", "digits-acme.yaml", "--plugins", acme.toString(), "--out",
        tmp.resolve("acme").toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    Path onnx = tmp.resolve("acme.onnx");
    CommandLineTest.Result r = CommandLineTest.run("export", tmp.resolve("acme").toString(), "--plugins", acme.toString(), "--out",
        onnx.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path run = tmp.resolve("acme");
    double worst = agreementWith(dev.neurite.inject.ComponentRegistry.discover(getClass().getClassLoader(), List.of(acme)), run, onnx, 2000);
    System.out.printf("digits-acme.yaml: ONNX Runtime against Neurite, largest difference %.2g of the outputs' scale%n", worst);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void aLayerThatCannotBeExportedIsAnErrorNamingItAndItsPlugin() throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = dev.neurite.testing.PluginJars.build(Files.createDirectories(tmp.resolve("work")), "ext-cube.jar", Map.of(
        "ext.Cube", """
            package ext;
            public final class Cube extends dev.neurite.spi.Activation { // softsign, under another name
              protected float apply(float x) { return x / (1 + Math.abs(x)); }
              protected float derivative(float x, float y) { float d = 1 + Math.abs(x); return 1 / (d * d); }
            }
            """,
        "ext.Plugin", """
            package ext;
            public final class Plugin extends dev.neurite.spi.NeuritePlugin {
              protected void configure() { layer("ext:cube", Cube.class); }
            }
            """), List.of("ext.Plugin"));
    Files.move(jar, plugins.resolve("ext-cube.jar"));
    Path config = tmp.resolve("cube.yaml");
    Files.writeString(config, """
        name: cube
        data: {source: {type: synthetic, kind: blobs, samples: 100, features: 4, classes: 2}, transforms: [standardize]}
        model: {layers: [{type: dense, units: 4}, ext:cube, {type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.01}
        training: {epochs: 1, batch_size: 10}
        """);
    CommandLineTest.Result trained = CommandLineTest.run("train", config.toString(), "--plugins", plugins.toString(), "--out",
        tmp.resolve("cube").toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    CommandLineTest.Result r = CommandLineTest.run("export", tmp.resolve("cube").toString(), "--plugins", plugins.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("layer model.layers[1] (ext.Cube, from ext-cube.jar) cannot be exported to ONNX: it does not implement "
        + "dev.neurite.spi.OnnxExportable");
    assertThat(tmp.resolve("cube/model.onnx")).doesNotExist();
  }
}
