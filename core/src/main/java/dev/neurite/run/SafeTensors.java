package dev.neurite.run;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian
 * data), readable by PyTorch ({@code safetensors.torch.load_file}) and numpy. Loading runs no
 * code. Only float32 ("F32") tensors are written and read.
 */
public final class SafeTensors {
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private SafeTensors() {}

  /** The file's bytes for these tensors, in the map's order. Equal inputs give equal bytes. */
  public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (int d : e.getValue().shape().dims()) shape.add(d);
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += 4L * e.getValue().size();
      offsets.add(offset);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) buf.put((byte) ' ');
    // asFloatBuffer() does not advance buf: step past each tensor explicitly
    for (Tensor t : tensors.values()) {
      buf.asFloatBuffer().put(t.data());
      buf.position(buf.position() + 4 * t.size());
    }
    return buf.array();
  }

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    AtomicFiles.write(file, encode(tensors, metadata));
  }

  /** Reads every tensor of a safetensors file, in header order. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    return decode(Files.readAllBytes(file), file.toString());
  }

  /** The header's {@code __metadata__} strings (empty when there are none). */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    decode(bytes, file.toString()); // validates the file
    return metadata(bytes);
  }

  /** The {@code __metadata__} of an encoded file that {@link #decode} has accepted. */
  static Map<String, String> metadata(byte[] bytes) {
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8)).getAsJsonObject();
    Map<String, String> out = new LinkedHashMap<>();
    if (header.get("__metadata__") instanceof JsonObject meta) {
      for (Map.Entry<String, JsonElement> e : meta.entrySet()) out.put(e.getKey(), e.getValue().getAsString());
    }
    return out;
  }

  static Map<String, Tensor> decode(byte[] bytes, String name) throws IOException {
    if (bytes.length < 8) throw new IOException(name + ": not a safetensors file (shorter than its 8-byte header length)");
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > bytes.length) {
      throw new IOException(name + ": header length " + headerLen + " does not fit a file of " + bytes.length + " bytes");
    }
    JsonObject header;
    try {
      header = JsonParser.parseString(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(name + ": header is not a JSON object: " + e.getMessage(), e);
    }
    int dataStart = 8 + (int) headerLen;
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) continue;
      JsonObject t = e.getValue().getAsJsonObject();
      String dtype = t.get("dtype").getAsString();
      if (!dtype.equals("F32")) throw new IOException(name + ": tensor '" + e.getKey() + "' is " + dtype + "; only F32 is supported");
      JsonArray shapeJson = t.getAsJsonArray("shape");
      int[] dims = new int[shapeJson.size()];
      for (int i = 0; i < dims.length; i++) dims[i] = shapeJson.get(i).getAsInt();
      Shape shape = Shape.of(dims);
      long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
      long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
      if (begin < 0 || end < begin || dataStart + end > bytes.length || end - begin != 4L * shape.size()) {
        throw new IOException(name + ": tensor '" + e.getKey() + "' has data offsets [" + begin + ", " + end
            + "] that do not fit its shape " + shape + " or the file's " + (bytes.length - dataStart) + " data bytes");
      }
      float[] data = new float[shape.size()];
      ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      out.put(e.getKey(), Tensor.wrap(data, shape));
    }
    return out;
  }
}
