package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.report.Table;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.Dataset;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diagnostics.csv holds what it says: weight norms are the saved weights' norms, a ReLU that never
 * fires is counted dead and one on standardized inputs is not, the probe batch's activation statistics
 * are those of the first 256 training rows, the learning rate follows the schedule, and recording
 * them changes no weight.
 */
class DiagnosticsTest {
  @TempDir Path tmp;

  private Path config(String name, String model, String extra) throws IOException {
    Path config = tmp.resolve(name + ".yaml");
    Files.writeString(config, """
        name: %s
        seed: 5
        data:
          source: {type: synthetic, kind: blobs, samples: 600, features: 4, classes: 3}
          split: {train: 0.8, test: 0.2}
          transforms: [standardize]
        model:
          layers: %s
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.1}
        training: {epochs: 6, batch_size: 32}
        metrics: [loss, accuracy]
        %s
        """.formatted(name, model, extra));
    return config;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }

  @Test
  void weightNormsAreTheSavedWeightsNormsAndTheLearningRateFollowsTheSchedule() throws IOException {
    Path config = config("norms", "[{type: dense, units: 8, activation: relu}, {type: dense, units: 3}]",
        "schedule: {type: step, step_size: 2, gamma: 0.5}");
    Path run = ShippedConfigsTest.train(config, tmp.resolve("run")).directory();
    Table d = Table.read(run.resolve(RunDirectory.DIAGNOSTICS));
    assertThat(d.rows()).hasSize(6);
    assertThat(d.column("epoch")).containsExactly(1, 2, 3, 4, 5, 6);
    Map<String, Tensor> weights = SafeTensors.read(run.resolve(RunDirectory.WEIGHTS));
    assertThat(d.ofKind("weight_norm")).containsExactly("weight_norm:layers.0.weight", "weight_norm:layers.0.bias",
        "weight_norm:layers.1.weight", "weight_norm:layers.1.bias");
    for (String column : d.ofKind("weight_norm")) {
      double[] values = d.column(column);
      assertThat(values[5]).as(column).isCloseTo(norm(weights.get(column.substring("weight_norm:".length())).data()), within(1e-12));
    }
    for (String column : d.ofKind("grad_norm")) assertThat(java.util.Arrays.stream(d.column(column)).boxed().toList()).as(column).allMatch(v -> v > 0 && Double.isFinite(v));
    for (String column : d.ofKind("update_ratio")) assertThat(java.util.Arrays.stream(d.column(column)).boxed().toList()).as(column).allMatch(v -> v > 0 && v < 1);
    // step schedule: lr 0.1 for epochs 1-2, 0.05 for 3-4, 0.025 for 5-6 (the factor of each epoch's last step)
    assertThat(d.column("lr")).containsExactly(0.1, 0.1, 0.05, 0.05, 0.025, 0.025);
    assertThat(d.ofKind("dead_fraction")).containsExactly("dead_fraction:layers[0]");
    assertThat(d.columns().get(d.columns().size() - 1)).isEqualTo("seconds");
  }

  @Test
  void aReluThatNeverFiresIsDeadAndOneOnStandardizedInputsIsNot() throws IOException {
    Path config = config("dead", "[relu, {type: dense, units: 5, init: zeros, bias: false}, relu, {type: dense, units: 3}]", "");
    Path run = ShippedConfigsTest.train(config, tmp.resolve("run")).directory();
    Table d = Table.read(run.resolve(RunDirectory.DIAGNOSTICS));
    // zero weights and no bias: layers[1] puts out 0, so the ReLU after it never fires, and its gradient keeps the weights at 0
    assertThat(d.column("dead_fraction:layers[2]")).containsOnly(1.0);
    // each standardized feature is positive for some training rows
    assertThat(d.column("dead_fraction:layers[0]")).containsOnly(0.0);
    assertThat(d.column("activation_std:layers[2]")).containsOnly(0.0);
  }

  @Test
  void activationStatisticsAreThoseOfTheFirst256TrainingRows() throws IOException {
    Path config = config("probe", "[relu, {type: dense, units: 3}]", "");
    Path run = ShippedConfigsTest.train(config, tmp.resolve("run")).directory();
    Table d = Table.read(run.resolve(RunDirectory.DIAGNOSTICS));
    // layers[0] is a ReLU on the standardized inputs, which training does not change
    Experiment experiment = Experiment.prepare(new ExperimentLoader(ShippedConfigsTest.REGISTRY).load(config));
    Dataset train = experiment.splits().train();
    float[] x = new float[4];
    float[] y = new float[1];
    double sum = 0;
    double sq = 0;
    int n = 256 * 4;
    for (int r = 0; r < 256; r++) {
      train.read(r, x, 0, y, 0);
      for (float v : x) {
        double a = Math.max(0, v);
        sum += a;
        sq += a * a;
      }
    }
    double mean = sum / n;
    double std = Math.sqrt(sq / n - mean * mean);
    assertThat(java.util.Arrays.stream(d.column("activation_mean:layers[0]")).boxed().toList()).allSatisfy(v -> assertThat(v).isCloseTo(mean, within(1e-6)));
    assertThat(java.util.Arrays.stream(d.column("activation_std:layers[0]")).boxed().toList()).allSatisfy(v -> assertThat(v).isCloseTo(std, within(1e-6)));
  }

  @Test
  void diagnosticsChangeNoWeightAndCanBeTurnedOff() throws IOException {
    Path digits = tmp.resolve("digits.yaml");
    Files.writeString(digits, Files.readString(Path.of("digits-cnn.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    TrainingRun.Outcome on = ShippedConfigsTest.train(digits, tmp.resolve("on"));
    TrainingRun.Outcome off = TrainingRun.train(ShippedConfigsTest.REGISTRY, List.of(digits), List.of("training.diagnostics=false"),
        new TrainingRun.Options(tmp.resolve("off"), null, List.of()));
    assertThat(on.weightsSha256()).isEqualTo(off.weightsSha256());
    assertThat(Files.readString(on.directory().resolve(RunDirectory.METRICS)).replaceAll(",[^,\n]*\n", "\n"))
        .as("metrics.csv without the seconds").isEqualTo(Files.readString(off.directory().resolve(RunDirectory.METRICS))
            .replaceAll(",[^,\n]*\n", "\n"));
    assertThat(on.directory().resolve(RunDirectory.DIAGNOSTICS)).exists();
    assertThat(off.directory().resolve(RunDirectory.DIAGNOSTICS)).doesNotExist();
  }
}
