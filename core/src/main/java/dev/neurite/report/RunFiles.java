package dev.neurite.report;

import dev.neurite.run.RunDirectory;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report reads from a run directory without rebuilding anything: the resolved config's text,
 * {@code summary.json} and {@code manifest.json} (empty when absent), {@code metrics.csv} and
 * {@code diagnostics.csv} (empty tables when absent, as in runs made before diagnostics existed).
 */
public record RunFiles(Path dir, String config, Map<String, Object> summary, Map<String, Object> manifest, Table metrics,
                       Table diagnostics) {
  public static RunFiles read(Path dir) {
    if (!Files.isRegularFile(dir.resolve(RunDirectory.CONFIG))) {
      throw new NeuriteException(dir + " is not a run directory: it has no " + RunDirectory.CONFIG);
    }
    String config;
    try {
      config = Files.readString(dir.resolve(RunDirectory.CONFIG));
    } catch (IOException e) {
      throw new NeuriteException("cannot read " + dir.resolve(RunDirectory.CONFIG) + ": " + e.getMessage(), e);
    }
    return new RunFiles(dir, config, json(dir.resolve(RunDirectory.SUMMARY)), json(dir.resolve(RunDirectory.MANIFEST)),
        Table.read(dir.resolve(RunDirectory.METRICS)), Table.read(dir.resolve(RunDirectory.DIAGNOSTICS)));
  }

  private static Map<String, Object> json(Path file) {
    return Files.isRegularFile(file) ? RunDirectory.readJsonObject(file) : Map.of();
  }

  public String name() {
    Object n = summary.get("name");
    return n != null ? n.toString() : dir.getFileName().toString();
  }

  public String status() {
    Object s = summary.get("status");
    if (s == null) s = manifest.get("status");
    return s == null ? "unknown" : s.toString();
  }

  /** The final metrics of a split ({@code train}, {@code validation}, {@code test}) that are numbers, in order. */
  public Map<String, Double> finalMetrics(String split) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (summary.get(split) instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if (v instanceof Number n) out.put(k.toString(), n.doubleValue());
      });
    }
    return out;
  }

  /** {@code split.metric} from the summary, or null. */
  public Double finalMetric(String dotted) {
    String[] parts = dotted.split("\\.", 2);
    return parts.length < 2 ? null : finalMetrics(parts[0]).get(parts[1]);
  }

  public static final List<String> SPLITS = List.of("train", "validation", "test");
}
