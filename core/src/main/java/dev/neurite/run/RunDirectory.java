package dev.neurite.run;

import com.google.gson.GsonBuilder;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's folder: {@code config.yaml} (resolved), {@code metrics.csv}, {@code weights.safetensors},
 * {@code transforms.safetensors} (fitted preprocessing, when there is any) and {@code summary.json}.
 * Every file is written atomically, and an existing run is never overwritten.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.yaml";
  public static final String METRICS = "metrics.csv";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String TRANSFORMS = "transforms.safetensors";
  public static final String SUMMARY = "summary.json";
  public static final String MANIFEST = "manifest.json";

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** A new folder {@code <root>/<name>-<yyyyMMdd-HHmmss>} (with {@code -2}, {@code -3}... if taken). */
  public static RunDirectory createUnder(Path root, String name, LocalDateTime now) throws IOException {
    Files.createDirectories(root);
    String base = name + "-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    for (int k = 1; ; k++) {
      Path candidate = root.resolve(k == 1 ? base : base + "-" + k);
      try {
        return new RunDirectory(Files.createDirectory(candidate));
      } catch (FileAlreadyExistsException e) {
        // taken by another run started in the same second: try the next suffix
      }
    }
  }

  /** Exactly {@code dir}, which must not exist or be empty: a run never overwrites another's files. */
  public static RunDirectory createAt(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) {
          throw new NeuriteException("output directory " + dir + " is not empty; choose a new --out, "
              + "or leave --out out to get a fresh runs/<name>-<timestamp>");
        }
      }
    } else if (Files.exists(dir)) {
      throw new NeuriteException("output path " + dir + " exists and is not a directory");
    }
    Files.createDirectories(dir);
    return new RunDirectory(dir);
  }

  /** A run directory that exists already (to resume it). */
  public static RunDirectory existing(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new NeuriteException(dir + " is not a run directory: it needs " + CONFIG + " and " + MANIFEST);
    }
    return new RunDirectory(dir);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> readJson(String name) {
    try {
      return (Map<String, Object>) new GsonBuilder().setObjectToNumberStrategy(com.google.gson.ToNumberPolicy.LONG_OR_DOUBLE).create()
          .fromJson(Files.readString(dir.resolve(name)), Map.class);
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(dir.resolve(name) + ": cannot read it as JSON: " + e.getMessage(), e);
    }
  }

  /** Drops the rows of {@code metrics.csv} after {@code epoch} (written after the checkpoint being resumed). */
  void keepMetricsUpTo(int epoch) throws IOException {
    Path file = dir.resolve(METRICS);
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
    return MetricsLog.continuing(dir.resolve(METRICS));
  }
}
