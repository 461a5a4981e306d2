package dev.neurite.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  private static Map<String, Tensor> sample() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("layers.0.weight", Tensor.wrap(new float[] {1, -2, 3.5f, 0.25f, 5, 6}, 2, 3));
    m.put("layers.0.bias", Tensor.wrap(new float[] {-1, 1}, 2));
    return m;
  }

  @Test
  void layoutFollowsTheSafetensorsSpec() {
    byte[] bytes = SafeTensors.encode(sample(), Map.of("format", "pt"));
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    assertThat(headerLen % 8).isZero();
    String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
    assertThat(header.trim()).isEqualTo("{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        + "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}");
    assertThat(bytes.length).isEqualTo(8 + headerLen + 32);
    buf.position(8 + (int) headerLen);
    assertThat(buf.getFloat()).isEqualTo(1f); // little-endian raw data, in header order
    assertThat(buf.getFloat()).isEqualTo(-2f);
  }

  @Test
  void roundTripsAndIsByteStable(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("w.safetensors");
    SafeTensors.write(f, sample(), Map.of());
    Map<String, Tensor> back = SafeTensors.read(f);
    assertThat(back.keySet()).containsExactly("layers.0.weight", "layers.0.bias");
    assertThat(back.get("layers.0.weight").shape().dims()).containsExactly(2, 3);
    assertThat(back.get("layers.0.weight").data()).containsExactly(1, -2, 3.5f, 0.25f, 5, 6);
    assertThat(SafeTensors.encode(sample(), Map.of())).isEqualTo(Files.readAllBytes(f));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("w.safetensors"); // no temp file left
  }

  @Test
  void truncatedOrForeignFilesAreRejectedWithTheirName(@TempDir Path dir) throws IOException {
    byte[] bytes = SafeTensors.encode(sample(), Map.of());
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
    assertThatThrownBy(() -> SafeTensors.read(cut)).isInstanceOf(IOException.class)
        .hasMessageContaining("cut.safetensors").hasMessageContaining("layers.0.bias").hasMessageContaining("data offsets");
    Path junk = dir.resolve("junk.bin");
    Files.writeString(junk, "hello");
    assertThatThrownBy(() -> SafeTensors.read(junk)).hasMessageContaining("junk.bin: not a safetensors file");
  }
}
