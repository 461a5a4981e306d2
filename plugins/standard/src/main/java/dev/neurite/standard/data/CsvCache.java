package dev.neurite.standard.data;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The csv source's {@code stream: true}: the file is parsed once, in a single pass with bounded
 * memory, into {@code features.npy} and {@code labels.npy} (float32, C order) plus
 * {@code meta.properties} (column names, category levels, row counts). The arrays are then
 * memory-mapped, so a file larger than the heap trains, and shuffling is an index permutation
 * over the mapping.
 *
 * <p>The cache lives under {@code $NEURITE_CACHE/csv} (default {@code ~/.cache/neurite/csv}),
 * one folder per file path, size, modification time and csv options. A folder is written under
 * a temporary name, synced, and renamed into place only when complete, so a crash never leaves a
 * half-written cache that a later run would trust; the temporary folders of a killed conversion are
 * removed by the next conversion of the same file ({@link #removeAbandoned}).
 */
final class CsvCache {
  private static final int HEADER_BYTES = 128; // room for any [rows, width] shape; rewritten at the end

  private CsvCache() {}

  /** The system property {@code neurite.cache}, else {@code $NEURITE_CACHE}, else {@code ~/.cache/neurite}. */
  static Path root() {
    String property = System.getProperty("neurite.cache");
    if (property != null && !property.isEmpty()) return Path.of(property);
    String env = System.getenv("NEURITE_CACHE");
    return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "neurite");
  }

  static Dataset load(Csv.Params params, Function<Csv.Sink, Dataset> reader) {
    Path file = params.path();
    Path dir;
    try {
      dir = root().resolve("csv").resolve(key(params));
    } catch (NoSuchFileException e) {
      throw new NeuriteException(file + ": file not found");
    } catch (IOException e) {
      throw new NeuriteException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (Files.isRegularFile(dir.resolve("meta.properties"))) return open(dir, file);
    removeAbandoned(dir);
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectories(tmp);
      NpySink sink = new NpySink(tmp, dir, file);
      return reader.apply(sink);
    } catch (IOException e) {
      throw new NeuriteException(file + ": cannot write the stream cache under " + dir.getParent() + ": " + e.getMessage()
          + " (set NEURITE_CACHE to a writable folder with room for about 4 bytes per cell)", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Deletes the temporary folders for {@code dir} left by conversions whose process is gone (killed
   * half-way): their names carry the writer's pid. A folder of a live process is left alone.
   */
  static void removeAbandoned(Path dir) {
    String prefix = dir.getFileName() + ".tmp-";
    if (!Files.isDirectory(dir.getParent())) return;
    try (Stream<Path> siblings = Files.list(dir.getParent())) {
      for (Path p : (Iterable<Path>) siblings::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith(prefix)) continue;
        String pid = name.substring(prefix.length()).replaceAll("-.*", "");
        boolean alive;
        try {
          alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        if (!alive) deleteQuietly(p);
      }
    } catch (IOException e) {
      // best effort: a leftover folder is never read
    }
  }

  /** A folder name from everything that changes the parsed rows. */
  private static String key(Csv.Params params) throws IOException {
    Path abs = params.path().toAbsolutePath();
    String identity = abs + "\n" + Files.size(abs) + "\n" + Files.getLastModifiedTime(abs).toMillis() + "\n" + params;
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      String name = abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
      return name + "-" + HexFormat.of().formatHex(h, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Dataset open(Path dir, Path file) {
    Properties meta = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("meta.properties"), StandardCharsets.UTF_8)) {
      meta.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; meta.containsKey("name." + i); i++) names.add(meta.getProperty("name." + i));
    Map<Integer, List<String>> categories = new TreeMap<>();
    Map<String, Object> report = new LinkedHashMap<>();
    for (String k : new TreeSet<>(meta.stringPropertyNames())) {
      if (k.startsWith("category.") && k.endsWith(".count")) {
        int j = Integer.parseInt(k.split("\\.")[1]);
        int n = Integer.parseInt(meta.getProperty(k));
        List<String> levels = new ArrayList<>();
        for (int c = 0; c < n; c++) levels.add(meta.getProperty("category." + j + "." + c));
        categories.put(j, levels);
      }
    }
    for (String k : meta.getProperty("report.keys", "").split(",")) {
      if (k.isEmpty()) continue;
      String v = meta.getProperty("report." + k);
      report.put(k, v.matches("-?\\d+") ? (Object) Integer.parseInt(v) : v);
    }
    report.put("stream_cache", dir.toString());
    CsvLines lines = CsvLines.load(file, meta);
    return new Npy.MappedDataset(NpyFile.open(dir.resolve("features.npy")), NpyFile.open(dir.resolve("labels.npy")), report, names, categories)
        .locatedBy(lines::origin);
  }

  /** Writes rows as float32 .npy files, then publishes the folder. */
  private static final class NpySink implements Csv.Sink {
    private final Path tmp;
    private final Path dir;
    private final Path file;
    private final FileChannel x;
    private final FileChannel y;
    private final ByteBuffer xb = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer yb = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long rows;
    private int width = -1;

    NpySink(Path tmp, Path dir, Path file) throws IOException {
      this.tmp = tmp;
      this.dir = dir;
      this.file = file;
      this.x = FileChannel.open(tmp.resolve("features.npy"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.y = FileChannel.open(tmp.resolve("labels.npy"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      x.position(HEADER_BYTES);
      y.position(HEADER_BYTES);
    }

    @Override
    public void row(float[] features, float label) throws IOException {
      width = features.length;
      if (xb.remaining() < features.length * 4) drain(xb, x);
      for (float f : features) xb.putFloat(f);
      if (yb.remaining() < 4) drain(yb, y);
      yb.putFloat(label);
      rows++;
    }

    private static void drain(ByteBuffer b, FileChannel ch) throws IOException {
      b.flip();
      while (b.hasRemaining()) ch.write(b);
      b.clear();
    }

    @Override
    public Dataset finish(List<String> names, Map<Integer, List<String>> categories, Map<String, Object> report, CsvLines lines)
        throws IOException {
      drain(xb, x);
      drain(yb, y);
      writeHeader(x, "(" + rows + ", " + Math.max(width, names.size()) + ")");
      writeHeader(y, "(" + rows + ",)");
      x.force(true);
      y.force(true);
      x.close();
      y.close();
      Properties meta = new Properties();
      lines.store(meta);
      for (int i = 0; i < names.size(); i++) meta.setProperty("name." + i, names.get(i));
      categories.forEach((j, levels) -> {
        meta.setProperty("category." + j + ".count", Integer.toString(levels.size()));
        for (int c = 0; c < levels.size(); c++) meta.setProperty("category." + j + "." + c, levels.get(c));
      });
      meta.setProperty("report.keys", String.join(",", report.keySet()));
      report.forEach((k, v) -> meta.setProperty("report." + k, String.valueOf(v)));
      Path metaFile = tmp.resolve("meta.properties");
      try (Writer w = Files.newBufferedWriter(metaFile, StandardCharsets.UTF_8)) {
        meta.store(w, "neurite csv stream cache");
      }
      try (FileChannel ch = FileChannel.open(metaFile, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another run published the same cache first; use it
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
      }
      return open(dir, file);
    }

    private static void writeHeader(FileChannel ch, String shape) throws IOException {
      String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
      int pad = HEADER_BYTES - 10 - dict.length() - 1;
      if (pad < 0) throw new IOException("shape " + shape + " does not fit the reserved .npy header");
      byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
      ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
      b.putShort((short) h.length).put(h).flip();
      ch.write(b, 0);
    }
  }

  private static void deleteQuietly(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // best effort: a leftover .tmp folder is never read
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
