package dev.neurite.run;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.neurite.spi.Messages;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** SHA-256 of the data section {@link #encode} writes for these tensors (their floats, little-endian, in order). */
  public static String dataSha256(Collection<Tensor> tensors) {
    MessageDigest md = sha256();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : tensors) {
      float[] data = t.data();
      for (int i = 0, n = t.size(); i < n; i++) {
        if (!chunk.hasRemaining()) {
          md.update(chunk.array(), 0, chunk.position());
          chunk.clear();
        }
        chunk.putFloat(data[i]);
      }
    }
    md.update(chunk.array(), 0, chunk.position());
    return HexFormat.of().formatHex(md.digest());
  }

  /** SHA-256 of the data section of an encoded file that {@link #decode} has accepted. */
  static String dataSha256(byte[] bytes) {
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    MessageDigest md = sha256();
    md.update(bytes, 8 + (int) headerLen, bytes.length - 8 - (int) headerLen);
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    AtomicFiles.write(file, encode(tensors, metadata));
  }

  /** The largest file read (Java arrays hold at most 2 GiB; larger weights would not fit a float array anyway). */
  static final long MAX_FILE = Integer.MAX_VALUE - 8;

  /** Reads every tensor of a safetensors file, in header order. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    return decode(readBytes(file), file.toString());
  }

  /** The bytes of a regular file of at most {@link #MAX_FILE} bytes (a FIFO, device or huge sparse file is refused unread). */
  static byte[] readBytes(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
    }
    long size = Files.size(file);
    if (size > MAX_FILE) throw new IOException(file + ": " + size + " bytes; a safetensors file read here may be at most " + MAX_FILE + " bytes");
    return Files.readAllBytes(file);
  }

  /** The header's {@code __metadata__} strings (empty when there are none). */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    byte[] bytes = readBytes(file);
    decode(bytes, file.toString()); // validates the file
    return metadata(bytes);
  }

  /** The {@code __metadata__} of an encoded file that {@link #decode} has accepted. */
  static Map<String, String> metadata(byte[] bytes) {
    Map<String, String> out = new LinkedHashMap<>();
    if (header(bytes).get("__metadata__") instanceof JsonObject meta) {
      for (Map.Entry<String, JsonElement> e : meta.entrySet()) out.put(e.getKey(), e.getValue().getAsString());
    }
    return out;
  }

  private static JsonObject header(byte[] bytes) {
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return strictJson(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  /** JSON as RFC 8259 has it (Gson's parser is lenient by default: comments, unquoted names, single quotes). */
  private static JsonElement strictJson(String text) {
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      JsonElement e = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) throw new JsonParseException("data after the JSON object");
      return e;
    } catch (IOException e) {
      throw new JsonParseException(e.getMessage(), e);
    }
  }

  /**
   * Every tensor of an encoded file, checked as the safetensors format requires: a JSON object header
   * of at most 100 MiB, {@code __metadata__} an object of strings, every tensor F32 with a shape of
   * non-negative dimensions whose data offsets match its size, and the tensors' data exactly covering
   * the data section, without gaps or overlaps. Errors name {@code name} and the tensor.
   */
  static Map<String, Tensor> decode(byte[] bytes, String name) throws IOException {
    if (bytes.length < 8) throw new IOException(name + ": not a safetensors file (shorter than its 8-byte header length)");
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > bytes.length) {
      throw new IOException(name + ": not a safetensors file: header length " + headerLen + " does not fit a file of " + bytes.length + " bytes");
    }
    JsonObject header;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 8, (int) headerLen)).toString();
      header = strictJson(text).getAsJsonObject();
    } catch (CharacterCodingException e) {
      throw new IOException(name + ": not a safetensors file: its header is not valid UTF-8", e);
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(name + ": not a safetensors file: its header is not a JSON object (" + Messages.brief(e) + ")", e);
    }
    JsonElement meta = header.get("__metadata__");
    if (meta != null) {
      if (!(meta instanceof JsonObject metaObject)) throw new IOException(name + ": __metadata__ must be an object of strings");
      for (Map.Entry<String, JsonElement> e : metaObject.entrySet()) {
        if (!(e.getValue() instanceof JsonPrimitive p) || !p.isString()) {
          throw new IOException(name + ": __metadata__ entry '" + Messages.echo(e.getKey()) + "' is not a string");
        }
      }
    }
    long dataLength = bytes.length - 8 - headerLen;
    int dataStart = 8 + (int) headerLen;
    Map<String, long[]> ranges = new LinkedHashMap<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) continue;
      String tensor = "tensor '" + Messages.echo(e.getKey()) + "'";
      if (!(e.getValue() instanceof JsonObject t)) throw new IOException(name + ": " + tensor + " is not an object");
      String dtype = string(t.get("dtype"));
      if (dtype == null) throw new IOException(name + ": " + tensor + " has no dtype");
      if (!dtype.equals("F32")) throw new IOException(name + ": " + tensor + " is " + Messages.echo(dtype) + "; only F32 is supported");
      if (!(t.get("shape") instanceof JsonArray shapeJson)) throw new IOException(name + ": " + tensor + " has no shape list");
      if (shapeJson.size() > 8) throw new IOException(name + ": " + tensor + " has " + shapeJson.size() + " dimensions; at most 8 are supported");
      int[] dims = new int[shapeJson.size()];
      long size = 1;
      for (int i = 0; i < dims.length; i++) {
        long d = integer(shapeJson.get(i));
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw new IOException(name + ": " + tensor + " has shape " + Messages.echo(shapeJson.toString()) + "; dimensions must be integers from 0 to " + Integer.MAX_VALUE);
        }
        dims[i] = (int) d;
        size *= d;
        if (size > Integer.MAX_VALUE) throw new IOException(name + ": " + tensor + " has shape " + shapeJson + ", over " + Integer.MAX_VALUE + " elements");
      }
      if (!(t.get("data_offsets") instanceof JsonArray offsets) || offsets.size() != 2) {
        throw new IOException(name + ": " + tensor + " needs data_offsets [begin, end]");
      }
      long begin = integer(offsets.get(0));
      long end = integer(offsets.get(1));
      if (begin < 0 || end < begin || end > dataLength || end - begin != 4L * size) {
        throw new IOException(name + ": " + tensor + " has data offsets " + Messages.echo(offsets.toString()) + " that do not fit its shape "
            + shapeJson + " (" + 4L * size + " bytes) or the file's " + dataLength + " data bytes");
      }
      ranges.put(e.getKey(), new long[] {begin, end});
      shapes.put(e.getKey(), Shape.of(dims));
    }
    // the tensors must tile the data section exactly: no overlaps, no gaps, no trailing bytes
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(ranges.entrySet());
    sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> r) -> r.getValue()[0]).thenComparingLong(r -> r.getValue()[1]));
    long at = 0;
    for (Map.Entry<String, long[]> r : sorted) {
      if (r.getValue()[0] != at) {
        throw new IOException(name + ": tensor '" + Messages.echo(r.getKey()) + "' starts at data byte " + r.getValue()[0] + " but the tensor before it "
            + "ends at " + at + (r.getValue()[0] < at ? " (overlapping data)" : " (a gap)") + "; the tensors must cover the data without gaps or overlaps");
      }
      at = r.getValue()[1];
    }
    if (at != dataLength) throw new IOException(name + ": the tensors cover " + at + " of the " + dataLength + " data bytes; the rest is not part of any tensor");
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> r : ranges.entrySet()) {
      Shape shape = shapes.get(r.getKey());
      float[] data = new float[shape.size()];
      ByteBuffer.wrap(bytes, dataStart + (int) r.getValue()[0], 4 * data.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      out.put(r.getKey(), Tensor.wrap(data, shape));
    }
    return out;
  }

  /** Throws unless every value of every tensor is finite; names {@code name}, the tensor and the first bad element. */
  public static void requireFinite(Map<String, Tensor> tensors, String name) throws IOException {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      float[] d = e.getValue().data();
      for (int i = 0, n = e.getValue().size(); i < n; i++) {
        if (!Float.isFinite(d[i])) {
          throw new IOException(name + ": tensor '" + Messages.echo(e.getKey()) + "' holds " + d[i] + " at element " + i + "; weights must be finite numbers");
        }
      }
    }
  }

  private static String string(JsonElement e) {
    return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
  }

  /** An integral JSON number, or -1 for anything else (a string, a fraction, a number beyond a long). */
  private static long integer(JsonElement e) {
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) return -1;
    try {
      return p.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException | NumberFormatException x) {
      return -1;
    }
  }
}
