package dev.neurite.standard.data;

import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A numpy {@code .npy} array (format versions 1 to 3, C order), memory-mapped: rows are decoded
 * to float32 as they are read, so an array larger than the heap costs only page cache. Supported
 * element types: float32/64, int8/16/32/64 and uint8/16/32, either byte order.
 */
final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final long CHUNK = 1L << 30;

  final Path path;
  final int[] shape;
  final char kind;
  final int itemSize;
  final ByteOrder order;
  final long rows;
  final int rowSize; // elements per row
  private final long dataOffset;
  private final List<MappedByteBuffer> chunks = new ArrayList<>();
  private final long rowsPerChunk;

  private NpyFile(Path path, int[] shape, char kind, int itemSize, ByteOrder order, long dataOffset, FileChannel ch) throws IOException {
    this.path = path;
    this.shape = shape;
    this.kind = kind;
    this.itemSize = itemSize;
    this.order = order;
    this.dataOffset = dataOffset;
    this.rows = shape.length == 0 ? 1 : shape[0];
    long w = 1;
    for (int i = 1; i < shape.length; i++) w *= shape[i];
    if (w > Integer.MAX_VALUE / 8) throw new NeuriteException(path + ": rows of " + w + " elements are too large");
    this.rowSize = (int) w;
    long rowBytes = Math.max(1, w * itemSize);
    this.rowsPerChunk = Math.max(1, CHUNK / rowBytes);
    long expected = dataOffset + rows * w * itemSize;
    long actual = ch.size();
    if (actual < expected) {
      long complete = (actual - dataOffset) / rowBytes;
      throw new NeuriteException(path + ": truncated: the header promises shape " + Arrays.toString(shape) + " (" + expected
          + " bytes) but the file has " + actual + " bytes; only " + Math.max(0, complete) + " complete rows");
    }
    if (actual > expected) {
      throw new NeuriteException(path + ": " + (actual - expected) + " bytes after the data that the header's shape "
          + Arrays.toString(shape) + " does not account for");
    }
    for (long first = 0; first < rows; first += rowsPerChunk) {
      long n = Math.min(rowsPerChunk, rows - first);
      MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, dataOffset + first * rowBytes, n * w * itemSize);
      b.order(order);
      chunks.add(b);
    }
  }

  static NpyFile open(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(head, 0);
      head.flip();
      byte[] magic = new byte[Math.min(6, head.remaining())];
      head.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new NeuriteException(path + ": not a .npy file: it does not start with the magic string \\x93NUMPY");
      }
      if (head.remaining() < 4) throw new NeuriteException(path + ": truncated .npy header");
      int major = head.get() & 0xff;
      head.get();
      long headerLen;
      int prefix;
      if (major == 1) {
        headerLen = head.getShort() & 0xffff;
        prefix = 10;
      } else if (major == 2 || major == 3) {
        if (head.remaining() < 4) throw new NeuriteException(path + ": truncated .npy header");
        headerLen = head.getInt() & 0xffffffffL;
        prefix = 12;
      } else {
        throw new NeuriteException(path + ": .npy format version " + major + " is not supported (1, 2 or 3 are)");
      }
      if (headerLen > 1 << 20 || prefix + headerLen > ch.size()) throw new NeuriteException(path + ": truncated .npy header");
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      ch.read(hb, prefix);
      String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Matcher d = DESCR.matcher(header);
      if (!d.find()) {
        throw new NeuriteException(path + ": unsupported dtype in header " + Messages.echo(header.trim())
            + "; supported: float32/64, int8/16/32/64, uint8/16/32 (no structured or object arrays)");
      }
      char kind = d.group(2).charAt(0);
      int size = Integer.parseInt(d.group(3));
      boolean ok = switch (kind) {
        case 'f' -> size == 4 || size == 8;
        case 'i' -> size == 1 || size == 2 || size == 4 || size == 8;
        case 'u' -> size == 1 || size == 2 || size == 4;
        default -> false;
      };
      if (!ok) throw new NeuriteException(path + ": dtype '" + d.group(1) + kind + size + "' is not supported; "
          + "supported: float32/64, int8/16/32/64, uint8/16/32");
      ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      Matcher f = FORTRAN.matcher(header);
      if (f.find() && f.group(1).equals("True")) {
        throw new NeuriteException(path + ": the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
      }
      Matcher s = SHAPE.matcher(header);
      if (!s.find()) throw new NeuriteException(path + ": the header has no shape: " + Messages.echo(header.trim()));
      int[] shape;
      try {
        shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToInt(Integer::parseInt).toArray();
      } catch (NumberFormatException e) {
        throw new NeuriteException(path + ": the header's shape (" + Messages.echo(s.group(1).trim())
            + ") is not a list of dimensions from 0 to " + Integer.MAX_VALUE);
      }
      for (int dim : shape) if (dim < 0) throw new NeuriteException(path + ": the header's shape has a negative dimension " + dim);
      if (shape.length == 0) throw new NeuriteException(path + ": a 0-dimensional array has no rows");
      return new NpyFile(path, shape, kind, size, order, prefix + headerLen, ch);
    } catch (NoSuchFileException e) {
      throw new NeuriteException(path + ": file not found");
    } catch (IOException e) {
      throw new NeuriteException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Decodes row {@code row} into {@code out[off..off + rowSize)}. */
  void read(long row, float[] out, int off) {
    MappedByteBuffer b = chunks.get((int) (row / rowsPerChunk));
    int pos = (int) ((row % rowsPerChunk) * rowSize * itemSize);
    for (int i = 0; i < rowSize; i++, pos += itemSize) out[off + i] = element(b, pos);
  }

  private float element(ByteBuffer b, int pos) {
    return switch (kind) {
      case 'f' -> itemSize == 4 ? b.getFloat(pos) : (float) b.getDouble(pos);
      case 'i' -> switch (itemSize) {
        case 1 -> b.get(pos);
        case 2 -> b.getShort(pos);
        case 4 -> b.getInt(pos);
        default -> b.getLong(pos);
      };
      default -> switch (itemSize) {
        case 1 -> b.get(pos) & 0xff;
        case 2 -> b.getShort(pos) & 0xffff;
        default -> b.getInt(pos) & 0xffffffffL;
      };
    };
  }

  String dtype() {
    return (kind == 'f' ? "float" : kind == 'i' ? "int" : "uint") + itemSize * 8;
  }
}
