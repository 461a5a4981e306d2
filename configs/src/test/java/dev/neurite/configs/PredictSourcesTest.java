package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.inference.Prediction;
import dev.neurite.inference.Predictor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./neurite predict} on runs trained from idx and npy sources: INPUT is a features-only file of
 * the same format (an IDX images file, a .npy features array), and the predictions equal those of the
 * Java API on the same rows. A source without labels is refused by train.
 */
class PredictSourcesTest {
  static final int N = 240;
  @TempDir Path tmp;

  /** Two classes of 4x4 "images": bright top half or bright bottom half, with noise. */
  private static int[] labels() {
    int[] y = new int[N];
    for (int i = 0; i < N; i++) y[i] = i % 2;
    return y;
  }

  private static float[][] images(int[] y) {
    Random r = new Random(7);
    float[][] x = new float[N][16];
    for (int i = 0; i < N; i++) {
      for (int p = 0; p < 16; p++) x[i][p] = (float) Math.floor(((p < 8) == (y[i] == 0) ? 180 : 40) + 60 * r.nextDouble());
    }
    return x;
  }

  private static void idx(Path file, int type, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {0, 0, 8, (byte) type});
    for (int d : dims) out.writeInt(d);
    out.write(data);
    Files.write(file, bytes.toByteArray());
  }

  private static void npy(Path file, float[] data, int... shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) dims.append(d).append(", ");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (float v : data) b.putFloat(v);
    Files.write(file, b.array());
  }

  private Path config(String source) throws IOException {
    Path config = tmp.resolve("config.yaml");
    Files.writeString(config, """
        name: sources
        data:
          source: %s
          split: {train: 0.75, test: 0.25}
          transforms: [{type: scale, divide_by: 255}]
        model: {layers: [flatten, {type: dense, units: 8, activation: relu}, {type: dense, units: 2}]}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 5, batch_size: 16}
        metrics: [loss, accuracy]
        """.formatted(source));
    return config;
  }

  /** predict's CSV against the Java API on the same rows: the same class and probabilities. */
  private static void samePredictions(Path run, Path input, float[][] rows) {
    CommandLineTest.Result r = CommandLineTest.run("predict", run.toString(), input.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("class,p_0,p_1");
    assertThat(lines).hasSize(N + 1);
    List<Prediction> expected = Predictor.load(run).predict(rows);
    for (int i = 0; i < N; i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertThat(Integer.parseInt(cells[0])).as("row " + i).isEqualTo(expected.get(i).label());
      assertThat(Float.parseFloat(cells[1])).isEqualTo(expected.get(i).probabilities()[0]);
    }
  }

  @Test
  void predictReadsAnIdxImagesFile() throws IOException {
    int[] y = labels();
    float[][] x = images(y);
    byte[] pixels = new byte[N * 16];
    byte[] classes = new byte[N];
    for (int i = 0; i < N; i++) {
      for (int p = 0; p < 16; p++) pixels[i * 16 + p] = (byte) x[i][p];
      classes[i] = (byte) y[i];
    }
    Path images = tmp.resolve("images-idx3-ubyte");
    idx(images, 3, new int[] {N, 4, 4}, pixels);
    idx(tmp.resolve("labels-idx1-ubyte"), 1, new int[] {N}, classes);
    Path run = ShippedConfigsTest.train(config("{type: idx, images: " + images + ", labels: " + tmp.resolve("labels-idx1-ubyte") + "}"),
        tmp.resolve("run")).directory();
    samePredictions(run, images, x);
  }

  @Test
  void predictReadsANpyFeaturesArray() throws IOException {
    int[] y = labels();
    float[][] x = images(y);
    float[] flat = new float[N * 16];
    float[] classes = new float[N];
    for (int i = 0; i < N; i++) {
      System.arraycopy(x[i], 0, flat, i * 16, 16);
      classes[i] = y[i];
    }
    Path features = tmp.resolve("features.npy");
    npy(features, flat, N, 16);
    npy(tmp.resolve("labels.npy"), classes, N);
    Path run = ShippedConfigsTest.train(config("{type: npy, features: " + features + ", labels: " + tmp.resolve("labels.npy") + "}"),
        tmp.resolve("run")).directory();
    samePredictions(run, features, x);
  }

  @Test
  void trainingFromASourceWithoutLabelsIsRefused() throws IOException {
    npy(tmp.resolve("features.npy"), new float[N * 16], N, 16);
    CommandLineTest.Result r = CommandLineTest.run("train", config("{type: npy, features: " + tmp.resolve("features.npy") + "}").toString(),
        "--out", tmp.resolve("run").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("data.source: the source has no labels; training needs them (a source without labels is for "
        + "./neurite predict)");
  }
}
