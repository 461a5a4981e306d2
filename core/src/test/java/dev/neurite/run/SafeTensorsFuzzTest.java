package dev.neurite.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The safetensors reader on arbitrary bytes: it either returns tensors that encode back to a file
 * it reads the same, or throws an {@link IOException} naming the file; nothing else (no runtime
 * exception, no huge allocation). {@code mvn verify} runs the seed inputs in
 * {@code SafeTensorsFuzzTestInputs/}; {@code JAZZER_FUZZ=1 mvn test -pl core -Dtest=SafeTensorsFuzzTest}
 * fuzzes (docs/hardening.md).
 */
class SafeTensorsFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void decodeReturnsTensorsOrANamedIOException(byte[] bytes) {
    Map<String, Tensor> tensors;
    try {
      tensors = SafeTensors.decode(bytes, "fuzz.safetensors");
    } catch (IOException e) {
      assertThat(e.getMessage()).startsWith("fuzz.safetensors: ");
      assertThat(e.getMessage().length()).isLessThan(4096);
      return;
    }
    Map<String, String> metadata = SafeTensors.metadata(bytes);
    byte[] again = SafeTensors.encode(tensors, metadata);
    try {
      Map<String, Tensor> back = SafeTensors.decode(again, "again");
      assertThat(back.keySet()).containsExactlyElementsOf(tensors.keySet());
      for (String k : tensors.keySet()) {
        assertThat(back.get(k).shape()).isEqualTo(tensors.get(k).shape());
        assertThat(Arrays.equals(floatBits(back.get(k)), floatBits(tensors.get(k)))).as(k).isTrue();
      }
      assertThat(SafeTensors.metadata(again)).isEqualTo(metadata);
      assertThat(SafeTensors.dataSha256(again)).isEqualTo(SafeTensors.dataSha256(tensors.values()));
    } catch (IOException e) {
      throw new AssertionError("a re-encoded file does not read back: " + e.getMessage(), e);
    }
  }

  private static int[] floatBits(Tensor t) {
    int[] bits = new int[t.size()];
    for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(t.data()[i]);
    return bits;
  }
}
