package dev.neurite.run;

import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run's folder: {@code config.yaml} (resolved), {@code metrics.csv}, {@code weights.safetensors},
 * {@code transforms.safetensors} (fitted preprocessing, when there is any) and {@code summary.json}.
 * Every file is written atomically, and an existing run is never overwritten.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.yaml";
  public static final String METRICS = "metrics.csv";
  public static final String DIAGNOSTICS = "diagnostics.csv";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String TRANSFORMS = "transforms.safetensors";
  public static final String SUMMARY = "summary.json";
  public static final String MANIFEST = "manifest.json";

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** What a new directory holds from its first moment: written into the staging folder before it is renamed into place. */
  public interface Contents {
    void writeTo(RunDirectory staged) throws IOException;
  }

  /**
   * A new folder {@code <root>/<name>-<yyyyMMdd-HHmmss>} (with {@code -2}, {@code -3}... if taken),
   * created complete: see {@link #createAt}.
   */
  public static RunDirectory createUnder(Path root, String name, LocalDateTime now, Contents contents) throws IOException {
    Files.createDirectories(root);
    String base = name + "-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path staged = stage(root, base, contents);
    for (int k = 1; ; k++) {
      Path candidate = root.resolve(k == 1 ? base : base + "-" + k);
      if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) continue;
      try {
        Files.move(staged, candidate, StandardCopyOption.ATOMIC_MOVE);
        return new RunDirectory(candidate);
      } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
        // taken by another run started in the same second: try the next suffix
      } catch (IOException | RuntimeException e) {
        deleteTree(staged);
        throw e;
      }
    }
  }

  /**
   * Exactly {@code dir}, which must not exist or be empty: a run never overwrites another's files.
   * The directory appears complete or not at all: {@code contents} (the resolved config and the
   * manifest) are written into a hidden staging folder beside it, which is then renamed into place.
   * A run killed at any moment leaves either nothing (at most a {@code .NAME.staging-*} folder) or a
   * directory that {@code resume} can continue.
   */
  public static RunDirectory createAt(Path dir, Contents contents) throws IOException {
    requireNewOrEmpty(dir);
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staged = stage(parent, dir.getFileName().toString(), contents);
    try {
      Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces an empty directory, never a full one
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      deleteTree(staged);
      requireNewOrEmpty(dir); // filled since the check above
      throw new NeuriteException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      deleteTree(staged);
      throw e;
    }
    return new RunDirectory(dir);
  }

  /**
   * Where {@link #createUnder} would put a run now, for a run whose directory another process creates (an
   * engine's first worker): {@code root/name-timestamp}, with a suffix when that is taken.
   */
  public static Path freshPath(Path root, String name, LocalDateTime now) {
    String base = name + "-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    for (int k = 1; ; k++) {
      Path candidate = root.resolve(k == 1 ? base : base + "-" + k);
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) return candidate;
    }
  }

  /** Fails unless {@code dir} is absent or an empty directory: a run never overwrites another's files. */
  public static void requireNewOrEmpty(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) {
          throw new NeuriteException("output directory " + dir + " is not empty; choose a new --out, "
              + "or leave --out out to get a fresh runs/<name>-<timestamp>");
        }
      }
    } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new NeuriteException("output path " + dir + " exists and is not a directory");
    }
  }

  /** A hidden folder beside the final one, filled with {@code contents}; removed again if that fails. */
  private static Path stage(Path parent, String name, Contents contents) throws IOException {
    Path staged = Files.createDirectory(parent.resolve("." + name + ".staging-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    try {
      contents.writeTo(new RunDirectory(staged));
      return staged;
    } catch (IOException | RuntimeException e) {
      deleteTree(staged);
      throw e;
    }
  }

  /** Deletes a folder this class made (best effort: a failure here must not hide the error being reported). */
  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException e) {
      // left behind: a hidden .staging folder
    }
  }

  /** A run directory that exists already (to resume it). */
  public static RunDirectory existing(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new NeuriteException(dir + " is not a run directory: it needs " + CONFIG + " and " + MANIFEST);
    }
    return new RunDirectory(dir);
  }

  /** The most bytes of a run's JSON file (manifest, checkpoint index) that are read: far above any real one. */
  static final int MAX_JSON = 16 << 20;

  /** A small text file, refused unread when it is larger than {@code max} bytes; bytes that are not UTF-8 are an error. */
  static String readText(Path file, int max) throws IOException {
    long size = Files.size(file);
    if (size > max) throw new IOException(file + " is " + size + " bytes; at most " + max + " are read");
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
  }

  Map<String, Object> readJson(String name) {
    return readJsonObject(dir.resolve(name));
  }

  /** A run's JSON file ({@code summary.json}, {@code manifest.json}) as maps, lists, strings, longs and doubles. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readJsonObject(Path file) {
    try {
      Object json = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create()
          .fromJson(readText(file, MAX_JSON), Object.class);
      if (!(json instanceof Map<?, ?> map)) throw new IOException("it is not a JSON object");
      return (Map<String, Object>) map;
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(file + ": cannot read it as JSON: " + Messages.brief(e), e);
    }
  }

  /** Drops the rows of {@code metrics.csv} and {@code diagnostics.csv} after {@code epoch} (written after the checkpoint being resumed). */
  void keepMetricsUpTo(int epoch) throws IOException {
    keepRowsUpTo(dir.resolve(METRICS), epoch);
    keepRowsUpTo(dir.resolve(DIAGNOSTICS), epoch);
  }

  private static void keepRowsUpTo(Path file, int epoch) throws IOException {
    if (!Files.isRegularFile(file)) return;
    List<String> lines = Files.readAllLines(file);
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) continue;
      if (i > 0) {
        int comma = line.indexOf(',');
        try {
          if (Integer.parseInt(comma < 0 ? line : line.substring(0, comma)) > epoch) continue;
        } catch (NumberFormatException e) {
          continue; // a torn last line
        }
      }
      kept.append(line).append('\n');
    }
    AtomicFiles.write(file, kept.toString());
  }

  public Path path() {
    return dir;
  }

  public void writeConfig(String resolvedYaml) throws IOException {
    AtomicFiles.write(dir.resolve(CONFIG), resolvedYaml);
  }

  /** The params and the layers' buffers (running statistics), as one safetensors file; returns its SHA-256. */
  public String writeWeights(List<Param> params, Map<String, Tensor> buffers) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Param p : params) tensors.put(p.name(), p.value());
    tensors.putAll(buffers);
    byte[] bytes = SafeTensors.encode(tensors, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(WEIGHTS), bytes);
    return Hashes.sha256(bytes);
  }

  /** Writes fitted preprocessing state ({@code transforms.0.mean}, ...), if there is any. */
  public void writeTransforms(Map<String, Tensor> state, Map<String, String> metadata) throws IOException {
    if (!state.isEmpty() || !metadata.isEmpty()) SafeTensors.write(dir.resolve(TRANSFORMS), state, metadata);
  }

  public void writeSummary(Map<String, Object> summary) throws IOException {
    writeJson(SUMMARY, summary);
  }

  void writeJson(String name, Map<String, Object> content) throws IOException {
    String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping()
        .serializeNulls().create().toJson(content);
    AtomicFiles.write(dir.resolve(name), json + "\n");
  }

  /** A listener that keeps {@code metrics.csv} up to date after every epoch. */
  public MetricsLog metricsLog() {
    return MetricsLog.continuing(dir.resolve(METRICS), false);
  }

  /** A listener that keeps {@code diagnostics.csv} up to date after every epoch. */
  public MetricsLog diagnosticsLog() {
    return MetricsLog.continuing(dir.resolve(DIAGNOSTICS), true);
  }
}
