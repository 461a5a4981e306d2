package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The MNIST configs reach their published test errors. They read the IDX files from
 * {@code $NEURITE_DATA/mnist}; without them the tests are skipped with a message (CI sets
 * {@code NEURITE_DATA} to ../shared/datasets). They take minutes, so CI runs them once, on the
 * default JDK; {@code -Dneurite.skipLargeTests=true} skips them.
 */
@DisabledIfSystemProperty(named = "neurite.skipLargeTests", matches = "true", disabledReason = "large tests are run once, on the default JDK")
class MnistTargetsTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} reaches test error <= {1}")
  @CsvSource({"mnist-mlp.yaml, 0.016", "mnist-cnn.yaml, 0.010", "mnist-dropout.yaml, 0.013", "mnist-rows-lstm.yaml, 0.015"})
  void reachesThePublishedTestError(String config, double maxError) throws IOException {
    String data = System.getenv("NEURITE_DATA");
    assumeTrue(data != null && Files.isRegularFile(Path.of(data, "mnist", "train-images-idx3-ubyte.gz")),
        "NEURITE_DATA is not set or has no mnist/ files: skipping " + config + " (CI sets NEURITE_DATA=../shared/datasets; "
            + "the README says where to download MNIST)");
    ShippedConfigsTest.train(Path.of(config), tmp.resolve("run"));
    JsonObject s = JsonParser.parseString(Files.readString(tmp.resolve("run").resolve(RunDirectory.SUMMARY))).getAsJsonObject();
    assertThat(s.getAsJsonObject("rows").get("train").getAsInt()).isEqualTo(60_000);
    assertThat(s.getAsJsonObject("rows").get("test").getAsInt()).isEqualTo(10_000);
    double error = 1 - s.getAsJsonObject("test").get("accuracy").getAsDouble();
    System.out.printf("%s: test error %.2f %% after %d epochs in %.0f s%n", config, 100 * error, s.get("epochs").getAsInt(),
        s.get("seconds").getAsDouble());
    assertThat(error).isLessThanOrEqualTo(maxError);
    // the report's evaluation is of the test split's 10,000 images (ShippedConfigsTest.train checked it is under 2 MB);
    // the CNN reshapes them to images [1, 28, 28] and the LSTM to 28 rows of 28 pixels, the MLPs read 784 features:
    // only the first two reports show the mistakes as pictures
    String report = Files.readString(tmp.resolve("run").resolve(dev.neurite.report.RunReport.FILE));
    assertThat(report).contains("10000 rows, 10 classes");
    assertThat(report.contains("Most confident mistakes")).isEqualTo(config.equals("mnist-cnn.yaml") || config.equals("mnist-rows-lstm.yaml"));
    if (config.equals("mnist-cnn.yaml")) attributionMassLiesOnTheDigit(tmp.resolve("run"));
    // exported to ONNX, ONNX Runtime agrees with Neurite on the first 1,000 images
    try {
      double worst = OnnxExportTest.agreement(tmp.resolve("run"), OnnxExportTest.export(tmp.resolve("run"), tmp.resolve("model.onnx")), 1000);
      System.out.printf("%s: ONNX Runtime against Neurite, largest difference %.2g of the outputs' scale%n", config, worst);
      assertThat(worst).isLessThanOrEqualTo(OnnxExportTest.TOLERANCE);
    } catch (ai.onnxruntime.OrtException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Integrated gradients of the predicted class on 64 test digits: the share of the positive attribution
   * that falls within 2 pixels of the digit (a pixel whose raw value is not 0), and the median
   * completeness error at the default 50 steps.
   */
  private void attributionMassLiesOnTheDigit(Path run) throws IOException {
    Path out = tmp.resolve("explain");
    CommandLineTest.Result r = CommandLineTest.run("explain", run.toString(), "--samples", "64", "--method", "integrated_gradients",
        "--no-sanity-checks", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    var tensors = dev.neurite.run.SafeTensors.read(out.resolve("attributions.safetensors"));
    float[] x = tensors.get("inputs").data();
    float[] a = tensors.get("integrated_gradients").data();
    double background = -33.32 / 78.57; // a raw 0 after the config's scale transform
    double near = 0;
    double total = 0;
    for (int s = 0; s < 64; s++) {
      for (int y = 0; y < 28; y++) {
        for (int c = 0; c < 28; c++) {
          double v = a[s * 784 + y * 28 + c];
          if (v <= 0) continue;
          total += v;
          boolean digit = false;
          for (int dy = -2; dy <= 2 && !digit; dy++) {
            for (int dx = -2; dx <= 2 && !digit; dx++) {
              int yy = y + dy;
              int xx = c + dx;
              digit = yy >= 0 && yy < 28 && xx >= 0 && xx < 28 && x[s * 784 + yy * 28 + xx] > background + 1e-4;
            }
          }
          if (digit) near += v;
        }
      }
    }
    var json = JsonParser.parseString(Files.readString(out.resolve("explain.json"))).getAsJsonObject();
    double completeness = json.getAsJsonArray("methods").get(0).getAsJsonObject().get("median_relative_completeness_error").getAsDouble();
    System.out.printf("mnist-cnn.yaml: %.1f %% of the positive integrated gradients lie within 2 pixels of the digit; "
        + "median completeness error %.3f %% (64 test digits, 50 steps)%n", 100 * near / total, 100 * completeness);
    assertThat(near / total).isGreaterThanOrEqualTo(0.8);
    assertThat(completeness).isLessThan(0.01);
  }
}
