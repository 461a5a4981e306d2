package dev.neurite.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.Numbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What differs between two run directories, section by section: the resolved config (key by key),
 * the data files (by hash), the plugins (version and jar hash), the environment (Neurite, JVM, OS,
 * CPU, threads, kernel, git), the final metrics and the weights.
 */
public final class RunComparison {
  /** One difference: {@code section} (config, data, plugins, environment, metrics, weights), what, and both values. */
  public record Difference(String section, String key, String a, String b) {
    @Override
    public String toString() {
      return key + ": " + a + " -> " + b;
    }
  }

  public static final List<String> SECTIONS = List.of("config", "data", "plugins", "environment", "metrics", "weights");
  private static final List<String> ENVIRONMENT = List.of("neurite_version", "jvm", "os", "cpu", "threads", "gemm_kernel", "git");

  private RunComparison() {}

  public static List<Difference> compare(Path runA, Path runB) {
    List<Difference> out = new ArrayList<>();
    JsonObject ma = json(runA, RunDirectory.MANIFEST);
    JsonObject mb = json(runB, RunDirectory.MANIFEST);
    diffMaps("config", flatten("", yaml(runA)), flatten("", yaml(runB)), out);
    diffMaps("data", keyed(ma, "data", "path", List.of("bytes", "sha256")), keyed(mb, "data", "path", List.of("bytes", "sha256")), out);
    diffMaps("plugins", keyed(ma, "plugins", "name", List.of("version", "sha256")), keyed(mb, "plugins", "name", List.of("version", "sha256")), out);
    Map<String, String> ea = new TreeMap<>();
    Map<String, String> eb = new TreeMap<>();
    for (String k : ENVIRONMENT) {
      flattenJson(k, ma.get(k), ea);
      flattenJson(k, mb.get(k), eb);
    }
    diffMaps("environment", ea, eb, out);
    Map<String, String> sa = new TreeMap<>();
    Map<String, String> sb = new TreeMap<>();
    JsonObject summaryA = optionalJson(runA, RunDirectory.SUMMARY);
    JsonObject summaryB = optionalJson(runB, RunDirectory.SUMMARY);
    for (String split : List.of("train", "validation", "test")) {
      if (summaryA != null && summaryA.get(split) instanceof JsonObject o) metrics(split, o, sa);
      if (summaryB != null && summaryB.get(split) instanceof JsonObject o) metrics(split, o, sb);
    }
    diffMaps(sa, sb, out, RunComparison::metricDifference);
    String wa = string(ma.get("weights_sha256"));
    String wb = string(mb.get("weights_sha256"));
    if (!Objects.equals(wa, wb)) out.add(new Difference("weights", "weights_sha256", wa, wb));
    return out;
  }

  private static void metrics(String split, JsonObject o, Map<String, String> into) {
    for (var e : o.entrySet()) {
      if (e.getValue().isJsonPrimitive()) into.put(split + "." + e.getKey(), e.getValue().getAsString());
    }
  }

  /**
   * A metric that differs, both values with as many significant digits as it takes to tell them apart
   * (at least 4), and the change: {@code test.loss: 0.3014 -> 0.3321 (+0.03073)}.
   */
  static Difference metricDifference(String key, String a, String b) {
    double x;
    double y;
    try {
      x = Double.parseDouble(a);
      y = Double.parseDouble(b);
    } catch (NumberFormatException notNumbers) {
      return new Difference("metrics", key, a, b);
    }
    int digits = 4;
    while (digits < 17 && Numbers.significant(x, digits).equals(Numbers.significant(y, digits))) digits++;
    String change = Double.isFinite(x) && Double.isFinite(y) ? " (" + (y >= x ? "+" : "") + Numbers.significant(y - x, 4) + ")" : "";
    return new Difference("metrics", key, Numbers.significant(x, digits), Numbers.significant(y, digits) + change);
  }

  private static void diffMaps(String section, Map<String, String> a, Map<String, String> b, List<Difference> out) {
    diffMaps(a, b, out, (key, va, vb) -> new Difference(section, key, va, vb));
  }

  /** How a key whose two values differ is reported. */
  private interface Differ {
    Difference of(String key, String a, String b);
  }

  /** Every key of either map whose values differ, in key order ({@code (absent)} for a missing one). */
  private static void diffMaps(Map<String, String> a, Map<String, String> b, List<Difference> out, Differ differ) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      String va = a.getOrDefault(k, "(absent)");
      String vb = b.getOrDefault(k, "(absent)");
      if (!va.equals(vb)) out.add(differ.of(k, va, vb));
    }
  }

  /** The entries of a manifest list keyed by one field: {@code data} by path, {@code plugins} by name. */
  private static Map<String, String> keyed(JsonObject manifest, String list, String key, List<String> fields) {
    Map<String, String> out = new TreeMap<>();
    if (manifest.get(list) == null || !manifest.get(list).isJsonArray()) return out;
    for (JsonElement e : manifest.getAsJsonArray(list)) {
      JsonObject o = e.getAsJsonObject();
      String name = string(o.get(key));
      for (String f : fields) out.put(name + " " + f, String.valueOf(string(o.get(f))));
    }
    return out;
  }

  private static void flattenJson(String prefix, JsonElement e, Map<String, String> into) {
    if (e == null || e.isJsonNull()) {
      into.put(prefix, "null");
    } else if (e.isJsonObject()) {
      for (var entry : e.getAsJsonObject().entrySet()) flattenJson(prefix + "." + entry.getKey(), entry.getValue(), into);
    } else {
      into.put(prefix, e.isJsonPrimitive() ? e.getAsString() : e.toString());
    }
  }

  /** A run's resolved config as dotted keys ({@code optimizer.lr}, {@code model.layers[0].units}) and their values. */
  public static Map<String, String> configKeys(Path run) {
    return flatten("", yaml(run));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> flatten(String prefix, Object value) {
    Map<String, String> out = new TreeMap<>();
    if (value instanceof Map<?, ?> m) {
      for (var e : ((Map<String, Object>) m).entrySet()) out.putAll(flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue()));
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) out.putAll(flatten(prefix + "[" + i + "]", l.get(i)));
      if (l.isEmpty()) out.put(prefix, "[]");
    } else {
      out.put(prefix, String.valueOf(value));
    }
    return out;
  }

  private static Object yaml(Path run) {
    Path f = run.resolve(RunDirectory.CONFIG);
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(f));
    } catch (NoSuchFileException e) {
      throw new NeuriteException(run + " is not a run directory: it has no " + RunDirectory.CONFIG);
    } catch (IOException e) {
      throw new NeuriteException(f + ": cannot read: " + e.getMessage(), e);
    }
  }

  static JsonObject json(Path run, String name) {
    JsonObject o = optionalJson(run, name);
    if (o == null) throw new NeuriteException(run + " is not a run directory: it has no " + name);
    return o;
  }

  private static JsonObject optionalJson(Path run, String name) {
    Path f = run.resolve(name);
    if (!Files.isRegularFile(f)) return null;
    try {
      return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(f + ": cannot read it as JSON: " + e.getMessage(), e);
    }
  }

  private static String string(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** The differences grouped by section, in {@link #SECTIONS} order. */
  public static Map<String, List<Difference>> bySection(List<Difference> differences) {
    Map<String, List<Difference>> out = new LinkedHashMap<>();
    for (String s : SECTIONS) {
      List<Difference> in = differences.stream().filter(d -> d.section().equals(s)).toList();
      if (!in.isEmpty()) out.put(s, in);
    }
    return out;
  }
}
