package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** An IDX file of unsigned bytes with the given dimensions; {@code drop} bytes are cut from the end. */
  private Path idx(String name, int[] dims, byte[] data, boolean gzip, int drop) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) out.writeInt(d);
    out.write(data);
    byte[] all = bytes.toByteArray();
    Path f = dir.resolve(name);
    try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
      o.write(all, 0, all.length - drop);
    }
    return f;
  }

  private static byte[] pixels(int n) {
    byte[] b = new byte[n * 4];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 17);
    return b;
  }

  private Dataset.InMemory load(Path images, Path labels, Idx.Layout layout) {
    return new Idx(new Idx.Params(images, java.util.Optional.of(labels), layout, 0)).load().materialize();
  }

  @Test
  void readsImagesAndLabelsRawOrGzipped() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Path images = idx("i" + gzip, new int[] {3, 2, 2}, pixels(3), gzip, 0);
      Path labels = idx("l" + gzip, new int[] {3}, new byte[] {7, 0, 9}, gzip, 0);
      Dataset.InMemory d = load(images, labels, Idx.Layout.IMAGE);
      assertThat(d.sampleShape().dims()).containsExactly(1, 2, 2);
      assertThat(d.features().data()).startsWith(0, 17, 34, 51, 68).endsWith((11 * 17) & 0xff); // unsigned
      assertThat(d.targets().data()).containsExactly(7, 0, 9);
      assertThat(load(images, labels, Idx.Layout.FLAT).sampleShape().dims()).containsExactly(4);
    }
  }

  @Test
  void malformedFilesAreNamedWithWhatIsWrong() throws IOException {
    Path labels = idx("labels", new int[] {3}, new byte[] {1, 2, 3}, false, 0);
    Path truncated = idx("truncated.gz", new int[] {3, 2, 2}, pixels(3), true, 5);
    assertThatThrownBy(() -> load(truncated, labels, Idx.Layout.IMAGE)).isInstanceOf(NeuriteException.class)
        .hasMessage(truncated + ": truncated: the header promises 3 records of 4 unsigned byte values, but the data ends in record 1 (7 of 12 values)");
    Path images = idx("images", new int[] {3, 2, 2}, pixels(3), false, 0);
    assertThatThrownBy(() -> load(labels, images, Idx.Layout.IMAGE))
        .hasMessage(labels + ": magic number 0x00000801 says 1 dimensions, but images need 3 (count, rows, cols); are the images and labels files swapped?");
    Path text = dir.resolve("text");
    Files.writeString(text, "hello world");
    assertThatThrownBy(() -> load(text, labels, Idx.Layout.IMAGE)).hasMessageStartingWith(text + ": wrong magic number 0x68656C6C;");
    Path twoLabels = idx("two", new int[] {2}, new byte[] {1, 2}, false, 0);
    assertThatThrownBy(() -> load(images, twoLabels, Idx.Layout.IMAGE)).hasMessage(twoLabels + ": 2 labels, but " + images + " has 3 images");
    Path extra = idx("extra", new int[] {2}, new byte[] {1, 2, 3}, false, 0);
    assertThatThrownBy(() -> load(images, extra, Idx.Layout.IMAGE))
        .hasMessage(extra + ": data continues after the 2 records the header promises; is the header's count wrong?");
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> load(empty, labels, Idx.Layout.IMAGE)).hasMessage(empty + ": the file is empty or shorter than an IDX header (4 bytes)");
  }

  @Test
  void readsTheRealMnistFiles() {
    String data = System.getenv("NEURITE_DATA");
    Path mnist = data == null ? null : Path.of(data, "mnist");
    assumeTrue(mnist != null && Files.isDirectory(mnist),
        "NEURITE_DATA is not set or has no mnist/ folder: skipping the check of the real MNIST files (CI sets NEURITE_DATA=../shared/datasets)");
    long start = System.nanoTime();
    Dataset test = new Idx(new Idx.Params(mnist.resolve("t10k-images-idx3-ubyte.gz"), java.util.Optional.of(mnist.resolve("t10k-labels-idx1-ubyte.gz")),
        Idx.Layout.IMAGE, 0)).load();
    assertThat(test.size()).isEqualTo(10_000);
    assertThat(test.sampleShape().dims()).containsExactly(1, 28, 28);
    float[] y = test.allTargets().data();
    int[] counts = new int[10];
    for (float v : y) counts[(int) v]++;
    // the published class counts of the MNIST test set
    assertThat(counts).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
    assertThat(y[0]).isEqualTo(7); // the first test digit is a 7
    System.out.printf("MNIST test set read in %.2f s%n", (System.nanoTime() - start) / 1e9);
  }
}
