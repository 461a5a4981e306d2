package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.neurite.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./neurite} as a user meets it: exit codes, messages, no stack traces. */
class CommandLineTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private Path config(String name, String yaml) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, yaml.replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    return f;
  }

  @Test
  void trainPrintsOneLinePerEpochAndTheSummary() {
    Path out = tmp.resolve("run");
    Result r = run("train", "iris.yaml", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("epoch "))).hasSize(100);
    assertThat(r.out()).contains("epoch 100/100  train_loss ").contains("run directory: " + out).contains("test: loss ");
    assertThat(r.out()).doesNotContain("\r");
    assertThat(out.resolve("summary.json")).exists();
  }

  @Test
  void mergedConfigsAndSetOverridesAreRecordedInTheRun() throws IOException {
    Path fast = config("fast.yaml", "training: {epochs: 3}\noptimizer: {lr: 0.02}\n");
    Path out = tmp.resolve("merged");
    Result r = run("train", "iris.yaml", fast.toString(), "--set", "training.batch_size=16", "--set", "model.layers[0].units=8",
        "--out", out.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 epochs in");
    String resolved = Files.readString(out.resolve("config.yaml"));
    assertThat(resolved).contains("epochs: 3").contains("batch_size: 16").contains("units: 8").contains("lr: 0.02");
    var config = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject()
        .getAsJsonObject("config");
    assertThat(config.getAsJsonArray("merged")).hasSize(2);
    assertThat(config.getAsJsonArray("overrides").toString()).isEqualTo("[\"training.batch_size=16\",\"model.layers[0].units=8\"]");
    // the resolved config alone trains the same run
    Result again = run("train", out.resolve("config.yaml").toString(), "--out", tmp.resolve("again").toString(), "--quiet");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("again").resolve("weights.safetensors"))).isEqualTo(Files.readAllBytes(out.resolve("weights.safetensors")));

    Result bad = run("validate", "iris.yaml", "--set", "training.epochs=lots");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--set #1:1:1: training.epochs: expected a whole number, got 'lots'");
  }

  @Test
  void reproduceMatchesAFreshRunAndDiffFindsNothing() throws IOException {
    Path a = tmp.resolve("a");
    int threads = dev.neurite.tensor.Parallel.threads();
    assertThat(run("train", "iris.yaml", "--out", a.toString(), "--quiet").code()).isZero();
    Path b = tmp.resolve("b");
    int other = threads == 1 ? 2 : 1;
    Result r = run("reproduce", a.toString(), "--out", b.toString(), "--threads", Integer.toString(other));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("reproduced: weights_sha256 ").contains(" matches " + a);
    Result same = run("diff", a.toString(), b.toString());
    assertThat(same.out()).as("threads are recorded, so they are the one difference").isEqualTo("environment:\n  threads: "
        + threads + " -> " + other + "\n");
    dev.neurite.tensor.Parallel.setThreads(threads);

    Path c = tmp.resolve("c");
    assertThat(run("train", "iris.yaml", "--set", "optimizer.lr=0.02", "--out", c.toString(), "--quiet").code()).isZero();
    Result differ = run("diff", a.toString(), c.toString());
    assertThat(differ.code()).isEqualTo(1);
    assertThat(differ.out()).contains("config:\n  optimizer.lr: 0.05 -> 0.02\n").contains("metrics:\n  test.loss: ")
        .contains("weights:\n  weights_sha256: ");
  }

  @Test
  void reproduceRefusesChangedDataAndReportsAMismatchWithTheDifferences() throws IOException {
    Path data = tmp.resolve("iris.csv");
    Files.copy(Path.of("data/iris.csv"), data);
    Path cfg = tmp.resolve("iris.yaml");
    Files.writeString(cfg, Files.readString(Path.of("iris.yaml")).replace("data/iris.csv", data.toString()));
    Path a = tmp.resolve("a");
    assertThat(run("train", cfg.toString(), "--out", a.toString(), "--quiet").code()).isZero();
    String before = dev.neurite.run.Hashes.sha256(data);
    Files.writeString(data, Files.readString(data).replaceFirst("5\\.1,3\\.5", "5.2,3.5"));
    Result r = run("reproduce", a.toString(), "--out", tmp.resolve("b").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("not reproducible: the data changed since the run\n  " + data + ": sha256 " + before
        + " when the run was made, " + dev.neurite.run.Hashes.sha256(data) + " now (2770 -> 2770 bytes)\n");
    assertThat(tmp.resolve("b")).doesNotExist(); // nothing was trained

    // a run whose recorded config no longer gives its weights: the mismatch is reported with what differs
    Files.copy(Path.of("data/iris.csv"), data, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path config = a.resolve("config.yaml");
    Files.writeString(config, Files.readString(config).replace("epochs: 100", "epochs: 5"));
    Result mismatch = run("reproduce", a.toString(), "--out", tmp.resolve("c").toString());
    assertThat(mismatch.code()).isEqualTo(1);
    assertThat(mismatch.out()).contains("NOT reproduced: weights_sha256 ").contains("metrics:\n").contains("weights:\n  weights_sha256: ");
  }

  /** Every command and sub-command, as the CLI declares them (a new one is covered without editing this test). */
  private static List<List<String>> commands(picocli.CommandLine cli, List<String> prefix) {
    List<List<String>> all = new java.util.ArrayList<>();
    cli.getSubcommands().forEach((name, sub) -> {
      if (name.equals("help")) return;
      List<String> path = new java.util.ArrayList<>(prefix);
      path.add(name);
      all.add(path);
      all.addAll(commands(sub, path));
    });
    return all;
  }

  @Test
  void everyCommandsHelpWorksWithoutItsRequiredArguments() {
    List<List<String>> commands = commands(new picocli.CommandLine(new Main()), List.of());
    assertThat(commands).contains(List.of("train"), List.of("schema"), List.of("plugins", "verify"), List.of("plugins", "describe"));
    for (List<String> command : commands) {
      List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      Result r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: neurite " + String.join(" ", command) + " ");
      assertThat(r.err()).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void evaluateShowsTheConfusionMatrixAsATableAndWritesTheMetricsToJson() throws IOException {
    Path a = tmp.resolve("cm");
    Result trained = run("train", "iris.yaml", "--set", "metrics=[loss, accuracy, confusion_matrix]", "--out", a.toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    Path json = tmp.resolve("evaluation.json");
    Result eval = run("evaluate", a.toString(), "--out", json.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    List<String> lines = eval.out().lines().toList();
    assertThat(lines.get(0)).startsWith("test (38 rows): loss ").doesNotContain("confusion_matrix");
    assertThat(lines.get(1)).isEqualTo("confusion_matrix (rows: actual class, columns: predicted class):");
    assertThat(lines.get(2)).isEqualTo("actual   0   1   2");
    assertThat(lines).hasSize(6);
    var saved = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertThat(saved.get("split").getAsString()).isEqualTo("test");
    assertThat(saved.get("rows").getAsInt()).isEqualTo(38);
    var matrix = saved.getAsJsonArray("confusion_matrix");
    long total = 0;
    long diagonal = 0;
    for (int r = 0; r < 3; r++) {
      String[] printed = lines.get(3 + r).trim().split("\\s+");
      assertThat(printed[0]).isEqualTo(Integer.toString(r));
      for (int c = 0; c < 3; c++) {
        long v = matrix.get(r).getAsJsonArray().get(c).getAsLong();
        assertThat(Long.parseLong(printed[1 + c])).isEqualTo(v); // the table and the file agree
        total += v;
        if (r == c) diagonal += v;
      }
    }
    assertThat(total).isEqualTo(38);
    assertThat(saved.getAsJsonObject("metrics").get("accuracy").getAsDouble()).isEqualTo((double) diagonal / total);
    assertThat(eval.err()).contains("metrics written to " + json);
  }

  @Test
  void evaluateAndPredictUseTheSavedModelAndPreprocessing() throws IOException {
    Path a = tmp.resolve("a");
    Result trained = run("train", "iris.yaml", "--out", a.toString());
    assertThat(trained.code()).isZero();
    String testLine = trained.out().lines().filter(l -> l.startsWith("  test: ")).findFirst().orElseThrow().substring("  test: ".length());
    Result eval = run("evaluate", a.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).isEqualTo("test (38 rows): " + testLine + "\n"); // the same numbers as at the end of training

    // other data, through the run's saved standardization (never refitted)
    String iris = Path.of("data/iris.csv").toAbsolutePath().toString();
    Result all = run("evaluate", a.toString(), "--set", "data.test={type: csv, path: '" + iris + "', label: species}",
        "--set", "data.split={train: 1.0}");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.out()).startsWith("test (150 rows): loss ");
    Result viaData = run("evaluate", a.toString(), "--data", "{type: csv, path: '" + iris + "', label: species}");
    assertThat(viaData.out()).isEqualTo(all.out());
    double accuracy = Double.parseDouble(all.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));

    Path predictions = tmp.resolve("p.csv");
    Result p = run("predict", a.toString(), iris, "--out", predictions.toString());
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines.get(0)).isEqualTo("class,p_0,p_1,p_2");
    assertThat(lines).hasSize(151);
    List<String> truth = Files.readAllLines(Path.of("data/iris.csv"));
    int right = 0;
    for (int i = 1; i <= 150; i++) {
      String[] f = lines.get(i).split(",");
      double sum = Double.parseDouble(f[1]) + Double.parseDouble(f[2]) + Double.parseDouble(f[3]);
      assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      String[] t = truth.get(i).split(",");
      if (f[0].equals(t[t.length - 1])) right++;
    }
    // the predicted classes score exactly what evaluate measured on the same rows
    assertThat(String.format("%.4f", right / 150.0)).isEqualTo(String.format("%.4f", accuracy));
  }

  @Test
  void validateChecksShapesWithoutTraining() {
    Result r = run("validate", "digits-mlp.yaml");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        digits-mlp.yaml: OK: input [64] -> output [10], 4 layers, 4,810 params; rows: train 1348, test 449
        layer      type     output  params  buffers  mult-adds
        (input)             [64]
        layers[0]  dense    [64]     4,160        0      4,096
        layers[1]  relu     [64]         0        0          0
        layers[2]  dropout  [64]         0        0          0
        layers[3]  dense    [10]       650        0        640
        total                        4,810        0      4,736
        """);
  }

  @Test
  void threeMistakesGiveThreePreciseErrors() throws IOException {
    Path bad = config("bad.yaml", Files.readString(Path.of("digits-mlp.yaml"))
        .replace("    - relu", "    - rleu")
        .replace("{type: dropout, rate: 0.1}", "{type: dropout, rate: 0.1, sed: 3}")
        .replace("epochs: 40", "epochs: forty"));
    Result r = run("validate", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: 3 errors in the config:\n"
        + "  " + bad + ":11:7: model.layers[1]: unknown layer type 'rleu'; did you mean 'relu'? "
        + "Available: " + String.join(", ", ShippedConfigsTest.REGISTRY.names(dev.neurite.spi.ComponentKind.LAYER)) + "\n"
        + "  " + bad + ":12:34: model.layers[2].sed: unknown key 'sed' (valid keys: rate)\n"
        + "  " + bad + ":18:20: training.epochs: expected a whole number, got 'forty'\n");
  }

  @Test
  void shapeMismatchesAreConfigErrorsNamingBothShapes() throws IOException {
    Path narrow = config("narrow.yaml", Files.readString(Path.of("digits-mlp.yaml")).replace("{type: dense, units: 10}", "{type: dense, units: 3}"));
    Result r = run("validate", narrow.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(narrow + ":14:7: loss: model output shape [3] and the training split's targets [1] do not fit: "
        + "the labels go up to 9 (first at " + Path.of("data/digits.csv").toAbsolutePath() + " line ");
    assertThat(r.err()).contains(") but the model scores 3 classes; the last layer needs units: 10");
    Path mse = config("mse.yaml", Files.readString(Path.of("digits-mlp.yaml")).replace("loss: softmax_cross_entropy", "loss: mse"));
    assertThat(run("validate", mse.toString()).err())
        .contains(mse + ":14:7: loss: model output shape [10] and the training split's targets [1] do not fit: mse compares outputs and targets");
  }

  @Test
  void aSoftmaxBeforeSoftmaxCrossEntropyIsAConfigErrorWithTheFix() throws IOException {
    Path cfg = config("double-softmax.yaml", Files.readString(Path.of("digits-mlp.yaml"))
        .replace("    - {type: dense, units: 10}", "    - {type: dense, units: 10, activation: softmax}"));
    Result r = run("validate", cfg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(cfg + ":14:7: loss: the model ends with a softmax, but softmax_cross_entropy applies its own "
        + "softmax to raw scores: remove that layer (or keep log_softmax and use nll)");
  }

  @Test
  void graphWiringErrorsPointAtTheLayer() throws IOException {
    Path cfg = config("wired.yaml", Files.readString(Path.of("digits-residual.yaml")).replace("inputs: [block1, branch1]", "inputs: [blok1, branch1]"));
    Result r = run("validate", cfg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(cfg + ":15:7: model.layers[5]: input 'blok1' is not the name of an earlier layer; "
        + "did you mean 'block1'? Known: block1, branch1, input");
  }

  @Test
  void dataErrorsNameTheSourceAndTheFile() throws IOException {
    Path cfg = config("col.yaml", Files.readString(Path.of("digits-mlp.yaml")).replace("label: digit", "label: digt"));
    Result r = run("train", cfg.toString(), "--out", tmp.resolve("never").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: data.source (" + cfg + ":5:11): ")
        .contains("digits.csv: label: no column named 'digt'; did you mean 'digit'?");
    assertThat(tmp.resolve("never")).doesNotExist(); // nothing is written before the data checks out
  }

  @Test
  void aDivergingRunFailsClearlyAndKeepsWhatItWrote() throws IOException {
    Path cfg = config("diverge.yaml", Files.readString(Path.of("digits-mlp.yaml"))
        .replace("lr: 0.05, momentum: 0.9", "lr: 1.0e12").replace("transforms: [standardize]", "transforms: []"));
    Path out = tmp.resolve("diverged");
    Result r = run("train", cfg.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: training diverged: the loss became ").contains("Lower the learning rate (optimizer, " + cfg + ":15:12)");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(out.resolve("config.yaml")).exists();
    var summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    assertThat(summary.get("status").getAsString()).isEqualTo("failed");
    assertThat(summary.get("error").getAsString()).startsWith("training diverged");
    var manifest = JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject();
    assertThat(manifest.get("status").getAsString()).isEqualTo("failed");
    assertThat(manifest.getAsJsonArray("command_line").toString()).isEqualTo("[\"neurite\",\"train\",\"" + cfg + "\",\"--out\",\"" + out + "\"]");
  }

  /** Linear regression of iris' petal width with a learning rate that makes the loss grow geometrically but stay finite for epochs. */
  private Path runawayRegression(String training) throws IOException {
    return config("runaway.yaml", """
        name: runaway
        seed: 1
        data:
          source: {type: csv, path: %s, label: petal_width_cm, features: [sepal_length_cm, sepal_width_cm, petal_length_cm]}
          split: {train: 0.75, test: 0.25}
        model:
          layers: [{type: dense, units: 1}]
        loss: mse
        optimizer: {type: sgd, lr: 0.05}
        training: %s
        metrics: [loss]
        """.formatted(Path.of("data/iris.csv").toAbsolutePath(), training));
  }

  @Test
  void aRunawayLossStopsWhileStillFiniteAtTheDivergenceFactor() throws IOException {
    Path cfg = runawayRegression("{epochs: 30, batch_size: 16}");
    Result r = run("train", cfg.toString(), "--out", tmp.resolve("runaway").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: training diverged: the loss became 733000 (more than training.divergence_factor 10000 "
        + "times the first batch's loss 29.98) at epoch 1, step 4 (batch 4 of 7). Lower the learning rate (optimizer, " + cfg + ":9:12)");
  }

  @Test
  void aLossAboveTheCeilingStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
    Path cfg = runawayRegression("{epochs: 30, batch_size: 16, divergence_factor: 0, max_loss: 1.0e25}");
    Path out = tmp.resolve("ceiling");
    Result r = run("train", cfg.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: training diverged: the loss became ").contains("(above training.max_loss 1.000e+25) at epoch 3");
    // the console shows the runaway in scientific notation, not as 29 digits
    assertThat(r.out()).contains("epoch 1/30  train_loss 7.0903e+08", "epoch 2/30  train_loss 3.2125e+18");
    try (var files = Files.list(out.resolve("checkpoints"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("epoch-000001.safetensors", "epoch-000002.safetensors", "index.json");
    }
    Result resumed = run("resume", out.toString(), "--set", "optimizer.lr=0.001", "--quiet");
    assertThat(resumed.code()).as(resumed.err()).isZero();
  }

  @Test
  void anExistingRunIsNeverOverwritten() throws IOException {
    Path out = tmp.resolve("taken");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "precious");
    Result r = run("train", "xor.yaml", "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("output directory " + out + " is not empty");
    assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("precious");
  }

  @Test
  void pluginsListsComponentsWithParametersAndTheirJar() {
    Result r = run("plugins");
    assertThat(r.code()).isZero();
    String source = dev.neurite.spi.ComponentType.sourceOf(dev.neurite.standard.StandardPlugin.class);
    assertThat(r.out()).contains("standard  (dev.neurite.standard.StandardPlugin, " + source + ")")
        .containsPattern("  dense +Fully connected layer.*\\[" + java.util.regex.Pattern.quote(source) + "]")
        .contains("      units: int (required), >= 1  -- output features")
        .contains("      init: initializer = xavier_uniform  -- weight initializer")
        .contains("      rate: double (required), >= 0 and < 1  -- probability of dropping a value")
        .contains("losses:");
  }

  @Test
  void describeShowsOneComponentAndSuggestsOnATypo() {
    Result dense = run("plugins", "describe", "dense");
    assertThat(dense.code()).isZero();
    assertThat(dense.out()).startsWith("dense (layer)\n")
        .contains("    units: int (required), >= 1  -- output features")
        .contains("  example: {type: dense, units: 4}");
    Result typo = run("plugins", "describe", "convv2d");
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err()).isEqualTo("error: no component named 'convv2d'; did you mean 'conv2d'? (./neurite plugins lists them all)\n");
    assertThat(run("plugins", "describe", "conv").err()).contains("did you mean 'conv1d'?"); // conv1d and conv2d are as close: the first
    // an optional parameter without a default is optional, not also required
    assertThat(dense.out()).contains("    activation: layer (optional)  -- ").doesNotContain("(optional) (required)");
  }

  @Test
  void theModelSummaryCountsParamsBuffersAndMultiplyAdds() throws IOException {
    Result v = run("validate", "digits-cnn.yaml");
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).contains("""
        layer      type        output      params  buffers  mult-adds
        (input)                [64]
        layers[0]  reshape     [1, 8, 8]        0        0          0
        layers[1]  conv2d      [16, 8, 8]     160        0      9,216
        """, """
        layers[4]  conv2d      [32, 4, 4]   4,640        0     73,728
        """, """
        layers[8]  dense       [10]         1,290        0      1,280
        total                               6,090        0     84,224
        """);
    // the same table before the first epoch, and in summary.json; batch norm's running statistics are buffers
    Path cfg = config("bn.yaml", Files.readString(Path.of("digits-mlp.yaml"))
        .replace("    - relu\n", "    - {type: batch_norm, name: norm}\n    - relu\n"));
    Path out = tmp.resolve("bn");
    Result t = run("train", cfg.toString(), "--out", out.toString(), "--set", "training.epochs=1");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).containsPattern("(?m)^norm +batch_norm +\\[64] +128 +128 +64$");
    assertThat(t.out().indexOf("total ")).isLessThan(t.out().indexOf("epoch 1/1"));
    var model = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject().getAsJsonObject("model");
    assertThat(model.get("parameters").getAsLong()).isEqualTo(4810 + 128);
    assertThat(model.get("buffers").getAsLong()).isEqualTo(128);
    assertThat(model.get("multiply_adds").getAsLong()).isEqualTo(64 * 64 + 64 + 64 * 10);
    var norm = model.getAsJsonArray("layers").get(1).getAsJsonObject();
    assertThat(norm.get("name").getAsString()).isEqualTo("norm");
    assertThat(norm.get("output").getAsString()).isEqualTo("[64]");
  }

  @Test
  void validatePrintWritesTheYamlAloneToStandardOutput() throws IOException {
    Result r = run("validate", "xor.yaml", "--print");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("xor.yaml: OK: input [2] -> output [1]");
    assertThat(r.out()).startsWith("name: xor\n").doesNotContain("OK");
  }

  @Test
  void validateWithoutDataChecksTheConfigAlone() throws IOException {
    Path cfg = config("nodata.yaml", Files.readString(Path.of("digits-mlp.yaml")).replace("data/digits.csv", "/nonexistent/digits.csv"));
    Result r = run("validate", cfg.toString(), "--no-data");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(cfg + ": config OK\n");
    assertThat(run("validate", cfg.toString()).err()).contains("/nonexistent/digits.csv: file not found");
  }

  @Test
  void threadsMustBePositive() {
    Result r = run("train", "xor.yaml", "--threads", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--threads must be at least 1, got 0");
  }

  @Test
  void usageErrorsAndDebug() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("train").err()).contains("Missing required parameter: 'CONFIG'");
    Result debug = run("validate", tmp.resolve("nope.yaml").toString(), "--debug");
    assertThat(debug.code()).isEqualTo(2);
    assertThat(debug.err()).contains("file not found").contains("\tat dev.neurite");
  }
}
