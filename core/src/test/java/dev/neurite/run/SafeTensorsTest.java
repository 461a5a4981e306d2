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

  /** A file with {@code header} (padded JSON) and {@code dataBytes} zero bytes of data. */
  private static byte[] file(String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    return b.array();
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> hostileHeaders() {
    String w = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("{" + w + ",\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
            "tensor 'v' starts at data byte 4 but the tensor before it ends at 8 (overlapping data)"),
        org.junit.jupiter.params.provider.Arguments.of("{" + w + ",\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16,
            "tensor 'v' starts at data byte 12 but the tensor before it ends at 8 (a gap)"),
        org.junit.jupiter.params.provider.Arguments.of("{" + w + "}", 12, "the tensors cover 8 of the 12 data bytes"),
        org.junit.jupiter.params.provider.Arguments.of("{\"__metadata__\":[1,2]," + w + "}", 8, "__metadata__ must be an object of strings"),
        org.junit.jupiter.params.provider.Arguments.of("{\"__metadata__\":{\"a\":{}}," + w + "}", 8, "__metadata__ entry 'a' is not a string"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"a\"],\"data_offsets\":[0,8]}}", 8,
            "tensor 'w' has shape [\"a\"]; dimensions must be integers"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8,
            "tensor 'w' has shape [-2]; dimensions must be integers"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", 8,
            "tensor 'w' has shape [65536,65536], over 2147483647 elements"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'w' has no dtype"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4,
            "tensor 'w' is F16; only F32 is supported"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'w' needs data_offsets [begin, end]"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"a\",8]}}", 8,
            "tensor 'w' has data offsets [\"a\",8] that do not fit"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":[]}", 0, "tensor 'w' is not an object"),
        org.junit.jupiter.params.provider.Arguments.of("[1]", 0, "its header is not a JSON object"),
        org.junit.jupiter.params.provider.Arguments.of("{\"w\":", 0, "its header is not a JSON object"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("hostileHeaders")
  void hostileHeadersAreRefusedNamingTheFileAndTensor(String header, int dataBytes, String message, @TempDir Path dir) throws IOException {
    Path f = dir.resolve("hostile.safetensors");
    Files.write(f, file(header, dataBytes));
    assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(IOException.class)
        .hasMessageStartingWith(f + ": ").hasMessageContaining(message);
  }

  @Test
  void aHeaderThatIsNotUtf8IsRefused(@TempDir Path dir) throws IOException {
    byte[] bytes = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0);
    bytes[11] = (byte) 0xFF;
    Path f = dir.resolve("latin.safetensors");
    Files.write(f, bytes);
    assertThatThrownBy(() -> SafeTensors.read(f)).hasMessage(f + ": not a safetensors file: its header is not valid UTF-8");
  }

  @Test
  void nonRegularAndOversizedFilesAreRefusedUnread(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> SafeTensors.read(dir)).hasMessage(dir + ": not a regular file");
    Path sparse = dir.resolve("sparse.safetensors");
    try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}), 3L << 30); // a 3 GiB sparse file
    }
    assertThatThrownBy(() -> SafeTensors.read(sparse)).hasMessage(sparse + ": " + ((3L << 30) + 1)
        + " bytes; a safetensors file read here may be at most " + SafeTensors.MAX_FILE + " bytes");
  }

  @Test
  void nonFiniteWeightsAreNamed() {
    Map<String, Tensor> m = sample();
    m.get("layers.0.bias").data()[1] = Float.NaN;
    assertThatThrownBy(() -> SafeTensors.requireFinite(m, "w.safetensors"))
        .hasMessage("w.safetensors: tensor 'layers.0.bias' holds NaN at element 1; weights must be finite numbers");
  }

  @Test
  void theDataHashOfTensorsIsTheHashOfTheirEncodedDataSection() {
    Map<String, Tensor> m = new LinkedHashMap<>(sample());
    float[] big = new float[40_000]; // spans several of the hash's chunks
    for (int i = 0; i < big.length; i++) big[i] = i * 0.5f - 7;
    m.put("big", Tensor.wrap(big, big.length));
    byte[] bytes = SafeTensors.encode(m, Map.of("k", "v"));
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String expected = Hashes.sha256(Arrays.copyOfRange(bytes, 8 + (int) headerLen, bytes.length));
    assertThat(SafeTensors.dataSha256(m.values())).isEqualTo(expected);
    assertThat(SafeTensors.dataSha256(bytes)).isEqualTo(expected);
  }
}
