package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.SafeTensors;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./neurite explain on trained runs: the files, integrated gradients' completeness, determinism, a known ground truth, bad input. */
class ExplainTest {
  @TempDir static Path tmp;
  static Path cnn;

  @BeforeAll
  static void trainTheDigitsCnn() {
    cnn = tmp.resolve("cnn");
    CommandLineTest.Result r = CommandLineTest.run("train", "digits-cnn.yaml", "--out", cnn.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void theDefaultMethodsWriteTheirFilesAndIntegratedGradientsIsComplete() throws IOException {
    Path out = tmp.resolve("default");
    CommandLineTest.Result r = CommandLineTest.run("explain", cnn.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("explained 8 test rows (target: predicted) with saliency, gradient_x_input, integrated_gradients -> " + out);
    Map<String, Tensor> tensors = SafeTensors.read(out.resolve("attributions.safetensors"));
    assertThat(tensors.keySet()).containsExactly("inputs", "saliency", "gradient_x_input", "integrated_gradients");
    for (Tensor t : tensors.values()) assertThat(t.shape().toString()).isEqualTo("[8, 64]");
    for (float v : tensors.get("saliency").data()) assertThat(v).isGreaterThanOrEqualTo(0f);
    // gradient x input is the input times the signed gradient, whose magnitude is the saliency
    float[] x = tensors.get("inputs").data();
    float[] s = tensors.get("saliency").data();
    float[] gx = tensors.get("gradient_x_input").data();
    for (int i = 0; i < x.length; i++) assertThat(Math.abs(gx[i])).isCloseTo(Math.abs(x[i]) * s[i], org.assertj.core.api.Assertions.within(1e-5f));

    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("explain.json"))).getAsJsonObject();
    assertThat(json.getAsJsonArray("rows")).hasSize(8);
    assertThat(json.get("targets")).isEqualTo(json.get("predicted"));
    JsonObject ig = json.getAsJsonArray("methods").get(2).getAsJsonObject();
    assertThat(ig.getAsJsonObject("config").get("steps").getAsInt()).isEqualTo(50);
    double median = ig.get("median_relative_completeness_error").getAsDouble();
    System.out.printf("digits CNN, integrated gradients (50 steps, zero baseline): median completeness error %.3f %%%n", 100 * median);
    assertThat(median).isLessThan(0.01); // below 1 % of |f(x) - f(baseline)| at the default steps
    assertThat(r.out()).contains("integrated_gradients: median completeness error ");

    // the model-randomization check: saliency changes with the weights, as it should
    var checks = json.getAsJsonObject("sanity_checks").getAsJsonArray("model_randomization");
    JsonObject saliency = checks.get(0).getAsJsonObject();
    assertThat(saliency.get("method").getAsString()).isEqualTo("saliency");
    assertThat(saliency.getAsJsonArray("cascade")).hasSize(3); // the digits CNN's three layers with weights, top down
    double rho = saliency.get("spearman_fully_randomized").getAsDouble();
    System.out.printf("digits CNN, saliency: rank correlation with the randomized model %.3f%n", rho);
    assertThat(rho).isLessThan(0.5);
    assertThat(saliency.get("insensitive").getAsBoolean()).isFalse();
  }

  @Test
  void validateChecksTheExplainSectionAgainstTheData() throws IOException {
    Path overlay = tmp.resolve("bad-explain.yaml");
    Files.writeString(overlay, """
        explain:
          split: validation
          methods: [saliency, {type: occlusion, window: 3}]
        """);
    CommandLineTest.Result r = CommandLineTest.run("validate", "iris.yaml", overlay.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(overlay + ":2:10: explain.split: the data has no validation split; explain rows of another (train, test)",
        overlay + ":3:23: explain.methods[1]: occlusion: needs images ([channels, height, width] samples), but the samples have shape [4]");
  }

  @Test
  void theExplainedOutputIsThePredictedTheTrueOrAFixedClass() throws IOException {
    for (String target : List.of("true", "7")) {
      Path out = tmp.resolve("target-" + target);
      CommandLineTest.Result r = CommandLineTest.run("explain", cnn.toString(), "--target", target, "--method", "saliency", "--samples", "100",
          "--no-sanity-checks", "--out", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      JsonObject json = JsonParser.parseString(Files.readString(out.resolve("explain.json"))).getAsJsonObject();
      assertThat(json.get("target").getAsString()).isEqualTo(target);
      if (target.equals("true")) {
        assertThat(json.get("targets")).isEqualTo(json.get("true"));
        assertThat(json.get("true")).isNotEqualTo(json.get("predicted")); // some of the 100 are mistakes, so the choice matters
      } else {
        json.getAsJsonArray("targets").forEach(t -> assertThat(t.getAsInt()).isEqualTo(7));
      }
    }
  }

  @Test
  void attributionsAreByteIdenticalForAnyThreadCountAndSeededNoiseRepeats() throws IOException {
    String methods = "{type: smoothgrad, samples: 8}";
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    assertThat(CommandLineTest.run("explain", cnn.toString(), "--method", methods, "--method", "integrated_gradients", "--rows", "3,17,42",
        "--threads", "1", "--out", one.toString()).code()).isZero();
    assertThat(CommandLineTest.run("explain", cnn.toString(), "--method", methods, "--method", "integrated_gradients", "--rows", "3,17,42",
        "--threads", "2", "--out", two.toString()).code()).isZero();
    assertThat(Files.readAllBytes(two.resolve("attributions.safetensors"))).isEqualTo(Files.readAllBytes(one.resolve("attributions.safetensors")));
    assertThat(SafeTensors.readMetadata(one.resolve("attributions.safetensors"))).containsEntry("rows", "3,17,42");
  }

  @Test
  void theInformativeFeaturesOfASyntheticSetRankAboveTheNoise() throws IOException {
    Path config = tmp.resolve("informative.yaml");
    Files.writeString(config, """
        name: informative
        seed: 3
        data:
          source: {type: synthetic, kind: informative, samples: 1200, features: 8, informative: 3, noise: 0.1}
          split: {train: 0.75, test: 0.25}
          transforms: [standardize]
        model:
          layers:
            - {type: dense, units: 16, activation: relu}
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 30, batch_size: 32}
        metrics: [loss, accuracy]
        """);
    Path run = tmp.resolve("informative");
    assertThat(CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet").code()).isZero();
    CommandLineTest.Result r = CommandLineTest.run("explain", run.toString(), "--samples", "100", "--method", "saliency",
        "--method", "gradient_x_input", "--method", "integrated_gradients", "--method", "permutation_importance");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(run.resolve("explain/importance.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    assertThat(header).containsExactly("feature", "mean_abs_saliency", "rank_saliency", "mean_abs_gradient_x_input", "rank_gradient_x_input",
        "mean_abs_integrated_gradients", "rank_integrated_gradients",
        "permutation_importance_loss_mean", "permutation_importance_loss_std", "rank_permutation_importance_loss",
        "permutation_importance_accuracy_mean", "permutation_importance_accuracy_std", "rank_permutation_importance_accuracy");
    assertThat(lines).hasSize(9);
    for (int f = 0; f < 8; f++) {
      String[] cells = lines.get(1 + f).split(",");
      assertThat(cells[0]).isEqualTo("x" + f); // the source's feature names
      for (int c = 0; c < header.size(); c++) {
        if (!header.get(c).startsWith("rank_")) continue;
        int rank = Integer.parseInt(cells[c]);
        if (f < 3) assertThat(rank).as("informative x" + f + ", " + header.get(c)).isLessThanOrEqualTo(3);
        else assertThat(rank).as("noise x" + f + ", " + header.get(c)).isGreaterThan(3);
      }
    }
    // permutation importance uses the whole split, as scikit-learn's: 300 rows here, 5 repeats
    JsonObject json = JsonParser.parseString(Files.readString(run.resolve("explain/explain.json"))).getAsJsonObject();
    JsonObject permutation = json.getAsJsonArray("methods").get(3).getAsJsonObject();
    assertThat(permutation.get("rows").getAsInt()).isEqualTo(300);
    assertThat(permutation.getAsJsonObject("config").get("repeats").getAsInt()).isEqualTo(5);
  }

  /** The digits as 8x8 images in IDX files (type 0x08: unsigned bytes), for a CNN whose samples are [1, 8, 8]. */
  private static Path digitImages() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("data/digits.csv"));
    List<int[]> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(java.util.Arrays.stream(line.split(",")).mapToInt(v -> (int) Double.parseDouble(v)).toArray());
    }
    int n = rows.size();
    Path dir = Files.createDirectories(tmp.resolve("digit-images"));
    Files.write(dir.resolve("images.idx"), BadInputCorpusTest.idx(0x08, new int[] {n, 8, 8}, n * 64, i -> rows.get(i / 64)[i % 64]));
    Files.write(dir.resolve("labels.idx"), BadInputCorpusTest.idx(0x08, new int[] {n}, n, i -> rows.get(i)[64]));
    Path config = dir.resolve("digits-images.yaml");
    Files.writeString(config, """
        name: digit-images
        seed: 5
        data:
          source: {type: idx, images: images.idx, labels: labels.idx}
          split: {train: 0.75, test: 0.25}
          transforms: [{type: scale, divide_by: 16}]
        model:
          layers:
            - {type: conv2d, filters: 6, kernel_size: 3, padding: 1, activation: relu}
            - {type: max_pool2d, kernel_size: 2}
            - flatten
            - {type: dense, units: 10}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 8, batch_size: 32}
        metrics: [loss, accuracy]
        explain:
          samples: 3
          methods: [saliency, {type: occlusion, window: 2, stride: 1}, {type: permutation_importance, repeats: 2, patch: 4}]
        """);
    return config;
  }

  @Test
  void anImageRunExplainsItselfAfterTrainingWithPicturesAndItsConfidentMistakes() throws IOException {
    Path run = tmp.resolve("digit-images-run");
    CommandLineTest.Result r = CommandLineTest.run("train", digitImages().toString(), "--out", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("explained 3 test rows (target: predicted) with saliency, occlusion, permutation_importance -> "
        + run.resolve("explain"), "saliency: rank correlation with a randomized model ");
    JsonObject json = JsonParser.parseString(Files.readString(run.resolve("explain/explain.json"))).getAsJsonObject();
    int mistakes = json.getAsJsonArray("confident_mistakes").size();
    assertThat(mistakes).isBetween(1, 4);
    // permutation importance over 4x4 patches of the 8x8 images: 4 groups
    JsonObject permutation = json.getAsJsonArray("methods").get(2).getAsJsonObject();
    assertThat(permutation.getAsJsonArray("groups")).hasSize(4);
    assertThat(permutation.getAsJsonArray("groups").get(0).getAsString()).isEqualTo("rows 0-3, columns 0-3");
    assertThat(json.getAsJsonObject("sanity_checks").getAsJsonArray("model_randomization")).hasSize(2);
    for (String method : List.of("saliency", "occlusion")) {
      java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(run.resolve("explain/" + method + ".png").toFile());
      assertThat(png.getWidth()).isEqualTo(3 * 240); // input, attribution, overlay
      assertThat(png.getHeight()).isEqualTo((3 + mistakes) * 240); // a row per explained sample, then the mistakes
    }
    assertThat(run.resolve("explain/importance.csv")).doesNotExist(); // images: no per-feature table
  }

  @Test
  void tabularRunsGetABarChartPerMethod() throws IOException {
    Path out = tmp.resolve("bars");
    CommandLineTest.Result r = CommandLineTest.run("explain", cnn.toString(), "--method", "saliency", "--method",
        "{type: permutation_importance, repeats: 2}", "--no-sanity-checks", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (String chart : List.of("importance-saliency.png", "importance-permutation_importance.png")) {
      java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve(chart).toFile());
      assertThat(png.getWidth()).isGreaterThan(64 * 20); // a bar per pixel feature of the digits
    }
  }

  @Test
  void badInputIsOneClearErrorAndWritesNothing() throws IOException {
    Path out = tmp.resolve("never");
    CommandLineTest.Result unknown = CommandLineTest.run("explain", cnn.toString(), "--method", "saliencyy", "--out", out.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--method #1:1:1: explain.methods[0]: unknown explainer type 'saliencyy'; did you mean 'saliency'?");

    CommandLineTest.Result row = CommandLineTest.run("explain", cnn.toString(), "--rows", "3,9999", "--out", out.toString());
    assertThat(row.code()).isEqualTo(2);
    assertThat(row.err()).contains("--rows: row 9999 is not in the test split, which has rows 0 to ");

    Path iris = tmp.resolve("iris");
    assertThat(CommandLineTest.run("train", "iris.yaml", "--out", iris.toString(), "--quiet").code()).isZero();
    CommandLineTest.Result images = CommandLineTest.run("explain", iris.toString(), "--method", "occlusion", "--out", out.toString());
    assertThat(images.code()).isEqualTo(2);
    assertThat(images.err()).contains("occlusion: needs images ([channels, height, width] samples), but the samples have shape [4]");

    Path broken = Files.createDirectories(tmp.resolve("no-weights"));
    Files.copy(cnn.resolve("config.yaml"), broken.resolve("config.yaml"));
    CommandLineTest.Result noWeights = CommandLineTest.run("explain", broken.toString(), "--out", out.toString());
    assertThat(noWeights.code()).isEqualTo(2);
    assertThat(noWeights.err()).contains("has no weights.safetensors: the run did not complete, so there is no model to load");

    CommandLineTest.Result split = CommandLineTest.run("explain", cnn.toString(), "--split", "validation", "--out", out.toString());
    assertThat(split.code()).isEqualTo(2);
    assertThat(split.err()).contains(cnn + " has no validation split; explain rows of another with --split");

    CommandLineTest.Result target = CommandLineTest.run("explain", cnn.toString(), "--target", "12", "--out", out.toString());
    assertThat(target.code()).isEqualTo(2);
    assertThat(target.err()).contains("--target 12: the model has 10 outputs (0 to 9)");

    assertThat(out).doesNotExist();
    assertThat(broken.resolve("explain")).doesNotExist();
  }
}
