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
  @CsvSource({"mnist-mlp.yaml, 0.016", "mnist-cnn.yaml, 0.010", "mnist-dropout.yaml, 0.013"})
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
  }
}
