package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Shape;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

@Example("images: train-images-idx3-ubyte.gz, labels: train-labels-idx1-ubyte.gz")
@Doc("Images and labels in the IDX format of MNIST and Fashion-MNIST, gzip-compressed or raw: images become "
    + "[1, rows, cols] (layout: image) or flat vectors (layout: flat) of raw pixel values (0-255 for bytes), labels class indices")
public final class Idx implements DataSource {
  public enum Layout { IMAGE, FLAT }

  public record Params(
      @Doc("the images file, e.g. train-images-idx3-ubyte.gz") Path images,
      @Doc("the paired labels file, e.g. train-labels-idx1-ubyte.gz; left out only for predict (training needs labels)")
      Optional<Path> labels,
      @Doc("image: samples of shape [1, rows, cols]; flat: [rows * cols]") @Default("image") Layout layout,
      @Doc("read only the first n samples; 0 reads all") @Default("0") @Min(0) int limit) {}

  private static final String[] TYPES = new String[16];

  static {
    TYPES[0x08] = "unsigned byte";
    TYPES[0x09] = "signed byte";
    TYPES[0x0B] = "short";
    TYPES[0x0C] = "int";
    TYPES[0x0D] = "float";
    TYPES[0x0E] = "double";
  }

  private final Params params;

  @Inject
  public Idx(Params params) {
    this.params = params;
  }

  @Override
  public boolean labeled() {
    return params.labels().isPresent();
  }

  @Override
  public List<Path> files() {
    return params.labels().isPresent() ? List.of(params.images(), params.labels().get()) : List.of(params.images());
  }

  @Override
  public Dataset load() {
    IdxArray images = IdxArray.read(params.images(), 3, params.limit());
    Shape sample = params.layout() == Layout.IMAGE ? Shape.of(1, images.dims[1], images.dims[2]) : Shape.of(images.dims[1] * images.dims[2]);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("rows", images.dims[0]);
    if (params.labels().isEmpty()) {
      String imagesFile = params.images().toString();
      return new IdxDataset(images, null, sample, report).locatedBy(row -> imagesFile + " record " + row + " (from 0)");
    }
    Path labelsPath = params.labels().get();
    IdxArray labels = IdxArray.read(labelsPath, 1, params.limit());
    if (images.dims[0] != labels.dims[0]) {
      throw new NeuriteException(labelsPath + ": " + labels.dims[0] + " labels, but " + params.images() + " has "
          + images.dims[0] + " images");
    }
    for (int i = 0; i < labels.count(); i++) {
      float v = labels.get(i);
      if (v < 0 || v != Math.rint(v)) {
        throw new NeuriteException(labelsPath + ": record " + i + ": label " + v + " is not a class index (a whole number >= 0)");
      }
    }
    String labelsFile = labelsPath.toString();
    return new IdxDataset(images, labels, sample, report).locatedBy(row -> labelsFile + " record " + row + " (from 0)");
  }

  /** One IDX file in memory: unsigned bytes as they are (a quarter of float32's size), other types as floats. */
  static final class IdxArray {
    final int[] dims;
    final byte[] bytes; // unsigned byte data, or null
    final float[] floats; // other types, or null

    private IdxArray(int[] dims, byte[] bytes, float[] floats) {
      this.dims = dims;
      this.bytes = bytes;
      this.floats = floats;
    }

    int count() {
      return bytes != null ? bytes.length : floats.length;
    }

    float get(int i) {
      return bytes != null ? bytes[i] & 0xff : floats[i];
    }

    static IdxArray read(Path file, int expectedDims, int limit) {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        DataInputStream data = new DataInputStream(in);
        int magic;
        try {
          magic = data.readInt();
        } catch (EOFException e) {
          throw new NeuriteException(file + ": the file is empty or shorter than an IDX header (4 bytes)");
        }
        int type = (magic >>> 8) & 0xff;
        int ndims = magic & 0xff;
        if ((magic >>> 16) != 0 || type >= TYPES.length || TYPES[type] == null) {
          throw new NeuriteException(file + ": wrong magic number 0x" + String.format("%08X", magic)
              + "; an IDX file starts with 0x0000, a type code (0x08 unsigned byte ... 0x0E double) and the number of dimensions"
              + (b0 == 0x1f ? "" : " (the file is not gzip-compressed)"));
        }
        if (ndims != expectedDims) {
          throw new NeuriteException(file + ": magic number 0x" + String.format("%08X", magic) + " says " + ndims
              + " dimensions, but " + (expectedDims == 3 ? "images need 3 (count, rows, cols)" : "labels need 1 (count)")
              + "; are the images and labels files swapped?");
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
          try {
            dims[i] = data.readInt();
          } catch (EOFException e) {
            throw new NeuriteException(file + ": truncated header: dimension " + (i + 1) + " of " + ndims + " is missing");
          }
          if (dims[i] <= 0) throw new NeuriteException(file + ": dimension " + (i + 1) + " is " + dims[i] + "; it must be positive");
        }
        int total = dims[0];
        int n = limit > 0 ? Math.min(limit, dims[0]) : dims[0];
        long per = 1;
        for (int i = 1; i < ndims; i++) per *= dims[i];
        if (n * per > Integer.MAX_VALUE - 8) throw new NeuriteException(file + ": " + n + " records of " + per + " values are too many for memory");
        int values = (int) (n * per);
        dims[0] = n;
        byte[] bytes = null;
        float[] floats = null;
        long read;
        if (type == 0x08) {
          bytes = new byte[values];
          read = 0;
          try { // in chunks, so that a truncated gzip stream still says how far the data went
            for (int got; read < values && (got = data.read(bytes, (int) read, (int) Math.min(1 << 16, values - read))) > 0; ) read += got;
          } catch (EOFException e) {
            // reported below
          }
        } else {
          floats = new float[values];
          read = 0;
          try {
            for (; read < values; read++) {
              floats[(int) read] = switch (type) {
                case 0x09 -> data.readByte();
                case 0x0B -> data.readShort();
                case 0x0C -> data.readInt();
                case 0x0D -> data.readFloat();
                default -> (float) data.readDouble();
              };
            }
          } catch (EOFException e) {
            // reported below
          }
        }
        if (read < values) {
          throw new NeuriteException(file + ": truncated: the header promises " + total + " records of " + per + " " + TYPES[type]
              + " values, but the data ends in record " + (read / per) + " (" + read + " of " + values + " values)");
        }
        if (limit == 0 || limit >= total) {
          if (data.read() != -1) {
            throw new NeuriteException(file + ": data continues after the " + total + " records the header promises; is the header's count wrong?");
          }
        }
        if (floats != null) {
          for (int i = 0; i < floats.length; i++) {
            if (!Float.isFinite(floats[i])) {
              throw new NeuriteException(file + ": record " + (i / per) + ", value " + (i % per) + ": " + floats[i] + " is not a finite number");
            }
          }
        }
        return new IdxArray(dims, bytes, floats);
      } catch (NoSuchFileException e) {
        throw new NeuriteException(file + ": file not found");
      } catch (ZipException e) {
        throw new NeuriteException(file + ": corrupt gzip data: " + e.getMessage(), e);
      } catch (EOFException e) {
        throw new NeuriteException(file + ": truncated gzip stream: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new NeuriteException(file + ": cannot read: " + e.getMessage(), e);
      }
    }
  }

  /** Rows decoded from the IDX arrays as they are read. */
  private static final class IdxDataset implements Dataset {
    private final IdxArray images;
    private final IdxArray labels;
    private final Shape sample;
    private final int width;
    private final Map<String, Object> report;

    IdxDataset(IdxArray images, IdxArray labels, Shape sample, Map<String, Object> report) {
      this.images = images;
      this.labels = labels;
      this.sample = sample;
      this.width = sample.size();
      this.report = Map.copyOf(report);
    }

    @Override public int size() { return images.dims[0]; }
    @Override public Shape sampleShape() { return sample; }
    @Override public Shape targetShape() { return Shape.of(1); }
    @Override public Map<String, Object> report() { return report; }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      int base = row * width;
      if (images.bytes != null) {
        byte[] b = images.bytes;
        for (int i = 0; i < width; i++) x[xOff + i] = b[base + i] & 0xff;
      } else {
        System.arraycopy(images.floats, base, x, xOff, width);
      }
      y[yOff] = labels == null ? 0 : labels.get(row);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      y[yOff] = labels == null ? 0 : labels.get(row);
    }
  }
}
