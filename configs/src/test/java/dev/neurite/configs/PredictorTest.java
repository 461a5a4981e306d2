package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.inference.Prediction;
import dev.neurite.inference.Predictor;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java inference API: a run loaded without its data, predicting from raw features with the saved
 * preprocessing, the same numbers as {@code evaluate}'s model and as {@code ./neurite predict}, from
 * many threads at once.
 */
class PredictorTest {
  @TempDir static Path shared;
  static Path run;
  static float[][] rows;
  static float[] expected;
  @TempDir Path tmp;

  /** A digits run trained from a copy of the data, which is then deleted: loading must not need it. */
  @BeforeAll
  static void trainThenDeleteTheData() throws IOException {
    Path data = shared.resolve("digits.csv");
    Files.copy(Path.of("data/digits.csv"), data);
    Path config = shared.resolve("digits.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml")).replace("data/digits.csv", data.toString()));
    run = ShippedConfigsTest.train(config, shared.resolve("run")).directory();
    Experiment experiment = SavedRun.open(ShippedConfigsTest.REGISTRY, run, List.of()).experiment();
    Dataset raw = experiment.source();
    int n = raw.size();
    int width = raw.sampleShape().size();
    rows = new float[n][width];
    float[] y = new float[1];
    for (int i = 0; i < n; i++) raw.read(i, rows[i], 0, y, 0);
    expected = new float[n * 10];
    int[] at = {0};
    new Trainer(experiment).outputs(experiment.preprocess(raw), batch -> {
      System.arraycopy(batch.data(), 0, expected, at[0], batch.size());
      at[0] += batch.size();
    });
    Files.delete(data);
  }

  @Test
  void predictsFromRawFeaturesAsTheSavedRunDoesWithoutItsData() {
    Predictor model = Predictor.load(run);
    assertThat(model.featureCount()).isEqualTo(64);
    assertThat(model.featureNames()).hasSize(64).startsWith("p0_0", "p0_1");
    assertThat(model.outputCount()).isEqualTo(10);
    assertThat(model.isClassifier()).isTrue();
    assertThat(model.outputs(rows)).containsExactly(expected);
    Prediction first = model.predict(rows[0]);
    float[] logits = java.util.Arrays.copyOf(expected, 10);
    assertThat(first.outputs()).containsExactly(logits);
    int arg = 0;
    for (int j = 1; j < 10; j++) if (logits[j] > logits[arg]) arg = j;
    assertThat(first.label()).isEqualTo(arg);
    double sum = 0;
    for (float p : first.probabilities()) sum += p;
    assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
  }

  @Test
  void agreesWithThePredictCommand() throws IOException {
    Path csv = tmp.resolve("in.csv");
    Files.copy(Path.of("data/digits.csv"), csv);
    CommandLineTest.Result r = CommandLineTest.run("predict", run.toString(), csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    List<Prediction> predictions = Predictor.load(run).predict(rows);
    for (int i = 0; i < rows.length; i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertThat(Integer.parseInt(cells[0])).as("row " + i).isEqualTo(predictions.get(i).label());
      for (int j = 0; j < 10; j++) assertThat(Float.parseFloat(cells[j + 1])).isEqualTo(predictions.get(i).probabilities()[j]);
    }
  }

  @Test
  void concurrentCallersGetTheSameNumbers() throws Exception {
    Predictor model = Predictor.load(run);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          for (int k = 0; k < 300; k++) {
            int i = (offset * 131 + k * 17) % rows.length;
            float[] out = k % 3 == 0 ? model.outputs(new float[][] {rows[i], rows[(i + 1) % rows.length]}) : model.predict(rows[i]).outputs();
            for (int j = 0; j < 10; j++) if (out[j] != expected[i * 10 + j]) return false;
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRowOfTheWrongLengthIsAClearError() {
    Predictor model = Predictor.load(run);
    assertThatThrownBy(() -> model.predict(new float[63])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row 0 has 63 values; the model reads 64 (p0_0, p0_1,");
    assertThatThrownBy(() -> Predictor.load(tmp)).hasMessageContaining(tmp + " has no weights.safetensors");
  }

  @Test
  void aRegressionModelPredictsValues() throws IOException {
    Path config = tmp.resolve("regression.yaml");
    Files.writeString(config, """
        name: regression
        data: {source: {type: synthetic, kind: regression, samples: 200, features: 3}, transforms: [standardize]}
        model: {layers: [{type: dense, units: 8, activation: tanh}, {type: dense, units: 1}]}
        loss: mse
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 16}
        """);
    Path r = ShippedConfigsTest.train(config, tmp.resolve("run")).directory();
    Prediction p = Predictor.load(r).predict(new float[] {0.5f, -1f, 2f});
    assertThat(p.label()).isEqualTo(-1);
    assertThat(p.probabilities()).containsExactly(p.outputs());
  }
}
