package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures written by numpy itself: src/test/python/npy_fixtures.py. */
class NpyTest {
  static final Path DIR = Path.of("src/test/resources/npy");
  @TempDir Path tmp;

  private static Dataset.InMemory load(String features, String labels) {
    return new Npy(new Npy.Params(DIR.resolve(features), java.util.Optional.of(DIR.resolve(labels)), true)).load().materialize();
  }

  @Test
  void readsEveryFloatLayoutAndByteOrderTheSame() {
    float[] expected = new float[24];
    for (int i = 0; i < 24; i++) expected[i] = i / 8f - 1f;
    for (String f : new String[] {"features_f8.npy", "features_f4.npy", "features_f4_big_endian.npy"}) {
      Dataset.InMemory d = load(f, "labels_i8.npy");
      assertThat(d.sampleShape().dims()).as(f).containsExactly(2, 3);
      assertThat(d.features().data()).as(f).containsExactly(expected);
      assertThat(d.targets().data()).containsExactly(3, 0, 2, 1);
    }
  }

  @Test
  void readsIntegerTypesAndTwoDimensionalTargets() {
    Dataset.InMemory bytes = load("features_u1.npy", "labels_u1.npy");
    assertThat(bytes.features().data()).startsWith(0, 10, 20).endsWith(230);
    Dataset.InMemory shorts = load("features_i2.npy", "targets_f4_2d.npy");
    assertThat(shorts.features().data()).startsWith(-12, -11).endsWith(11);
    assertThat(shorts.targetShape().dims()).containsExactly(2);
    assertThat(shorts.targets().data()).containsExactly(0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4);
  }

  @Test
  void badFilesAreNamedWithWhatIsWrong() throws IOException {
    assertThatThrownBy(() -> load("features_fortran.npy", "labels_i8.npy")).isInstanceOf(NeuriteException.class)
        .hasMessage(DIR.resolve("features_fortran.npy") + ": the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
    assertThatThrownBy(() -> load("features_f4.npy", "labels_3.npy"))
        .hasMessage(DIR.resolve("labels_3.npy") + ": 3 labels, but " + DIR.resolve("features_f4.npy") + " has 4 rows");
    assertThatThrownBy(() -> load("features_nan.npy", "labels_i8.npy"))
        .hasMessage(DIR.resolve("features_nan.npy") + ": row 1, element 1: NaN is not a finite number");

    byte[] whole = Files.readAllBytes(DIR.resolve("features_f4.npy"));
    Path cut = tmp.resolve("cut.npy");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 30));
    assertThatThrownBy(() -> NpyFile.open(cut)).hasMessage(cut + ": truncated: the header promises shape [4, 2, 3] (224 bytes)"
        + " but the file has 194 bytes; only 2 complete rows");
    Path notNpy = tmp.resolve("x.npy");
    Files.writeString(notNpy, "a,b\n1,2\n");
    assertThatThrownBy(() -> NpyFile.open(notNpy)).hasMessage(notNpy + ": not a .npy file: it does not start with the magic string \\x93NUMPY");
    assertThatThrownBy(() -> NpyFile.open(tmp.resolve("none.npy"))).hasMessage(tmp.resolve("none.npy") + ": file not found");
  }
}
