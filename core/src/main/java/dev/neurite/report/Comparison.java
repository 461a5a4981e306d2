package dev.neurite.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.RunComparison;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SweepRun;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code compare.html} and its text table: several runs (or a sweep directory's trials) side by side,
 * ranked by one final metric: the learning curves of every run overlaid per metric, the config keys
 * whose values differ, the final metrics, and for a sweep each swept parameter against the metric.
 */
public final class Comparison {
  public static final String FILE = "compare.html";

  /** One compared run: its label in charts and tables, its files, and (in a sweep) its trial's overrides by path. */
  public record Entry(String label, RunFiles files, Map<String, String> swept) {}

  /** The runs best first, the text table, and where the page was written. */
  public record Result(List<Entry> ranked, String metric, String table, Path html) {}

  private Comparison() {}

  /**
   * Compares {@code inputs}: run directories, or one sweep directory (its {@code trial-NNN} runs).
   * {@code metric} ({@code split.name}) ranks them (null: the sweep's metric, else a test, validation
   * or train accuracy or the first metric); {@code higherIsBetter} null guesses from the name (losses and
   * errors are lower-is-better). Writes {@code out} (null: {@code compare.html} in the sweep
   * directory, or in the current directory).
   */
  public static Result write(List<Path> inputs, String metric, Boolean higherIsBetter, Path out) {
    if (inputs.isEmpty()) throw new NeuriteException("nothing to compare: name run directories or a sweep directory");
    boolean sweep = inputs.size() == 1 && Files.isRegularFile(inputs.get(0).resolve(SweepRun.PLAN));
    List<Entry> entries = sweep ? sweepEntries(inputs.get(0)) : runEntries(inputs);
    if (entries.isEmpty()) throw new NeuriteException(inputs.get(0) + " holds no trial directories yet");
    if (metric == null) metric = sweep ? sweepMetric(inputs.get(0)) : defaultMetric(entries);
    if (metric == null) throw new NeuriteException("the runs have no final metrics in their summary.json to rank them by");
    if (!metric.contains(".")) throw new NeuriteException("--metric must be SPLIT.NAME, e.g. test.accuracy; got '" + metric + "'");
    String rankBy = metric;
    boolean higher = higherIsBetter != null ? higherIsBetter : !lowerIsBetter(metric);
    Comparator<Double> order = higher ? Comparator.reverseOrder() : Comparator.naturalOrder();
    List<Entry> ranked = entries.stream().sorted(Comparator.comparing((Entry e) -> valueOrNull(e, rankBy), Comparator.nullsLast(order)))
        .toList();
    Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    for (Entry e : ranked) configs.put(e.label(), RunComparison.configKeys(e.files().dir()));
    List<String> differing = differingKeys(configs);
    Path target = out != null ? out : sweep ? inputs.get(0).resolve(FILE) : Path.of(FILE);
    String html = html(ranked, rankBy, higher, configs, differing, sweep);
    try {
      AtomicFiles.write(target, html);
    } catch (IOException e) {
      throw new NeuriteException("cannot write " + target + ": " + e.getMessage(), e);
    }
    return new Result(ranked, rankBy, text(ranked, rankBy, configs, differing), target);
  }

  private static Double valueOrNull(Entry e, String metric) {
    Double v = e.files().finalMetric(metric);
    return v == null || v.isNaN() ? null : v;
  }

  static boolean lowerIsBetter(String metric) {
    String name = metric.substring(metric.indexOf('.') + 1);
    return name.contains("loss") || name.contains("error") || name.matches("mse|mae|rmse|perplexity|bits_per_character");
  }

  private static List<Entry> runEntries(List<Path> dirs) {
    List<Entry> out = new ArrayList<>();
    Set<String> labels = new TreeSet<>();
    for (Path dir : dirs) {
      String label = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
      if (!labels.add(label)) label = dir.toString();
      out.add(new Entry(label, RunFiles.read(dir), Map.of()));
    }
    return out;
  }

  /** The trials that have a run directory, with their overrides from sweep.json. */
  private static List<Entry> sweepEntries(Path dir) {
    List<List<String>> plan = new ArrayList<>();
    try {
      JsonElement json = JsonParser.parseString(Files.readString(dir.resolve(SweepRun.PLAN)));
      for (JsonElement trial : json.getAsJsonObject().get("trials").getAsJsonArray()) {
        List<String> overrides = new ArrayList<>();
        for (JsonElement o : (JsonArray) trial) overrides.add(o.getAsString());
        plan.add(overrides);
      }
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(dir.resolve(SweepRun.PLAN) + ": cannot read the sweep's plan: " + e.getMessage(), e);
    }
    List<Entry> out = new ArrayList<>();
    for (int t = 0; t < plan.size(); t++) {
      Path trial = SweepRun.trialDirectory(dir, t + 1);
      if (!Files.isRegularFile(trial.resolve(RunDirectory.CONFIG))) continue;
      Map<String, String> swept = new LinkedHashMap<>();
      for (String o : plan.get(t)) swept.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
      out.add(new Entry(trial.getFileName().toString(), RunFiles.read(trial), swept));
    }
    return out;
  }

  /** The sweep's metric: the column of sweep.csv before {@code run}. */
  private static String sweepMetric(Path dir) {
    try (Stream<String> lines = Files.lines(dir.resolve(SweepRun.TABLE))) {
      String header = lines.findFirst().orElse("");
      String[] columns = header.split(",");
      return columns.length >= 3 ? columns[columns.length - 2].replace("\"", "") : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String defaultMetric(List<Entry> entries) {
    RunFiles first = entries.get(0).files();
    for (String split : List.of("test", "validation", "train")) {
      Map<String, Double> m = first.finalMetrics(split);
      if (m.containsKey("accuracy")) return split + ".accuracy";
      if (!m.isEmpty()) return split + "." + m.keySet().iterator().next();
    }
    return null;
  }

  /** The config keys whose values are not the same in every run (a key missing from a run counts as differing). */
  private static List<String> differingKeys(Map<String, Map<String, String>> configs) {
    Set<String> keys = new TreeSet<>();
    configs.values().forEach(c -> keys.addAll(c.keySet()));
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (k.equals("name")) continue;
      Set<String> values = new LinkedHashSet<>();
      configs.values().forEach(c -> values.add(c.getOrDefault(k, "(absent)")));
      if (values.size() > 1) out.add(k);
    }
    return out;
  }

  private static String text(List<Entry> ranked, String metric, Map<String, Map<String, String>> configs, List<String> differing) {
    List<String> header = new ArrayList<>(List.of("rank", "run", metric));
    header.addAll(differing);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      Entry e = ranked.get(i);
      Double v = e.files().finalMetric(metric);
      List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), e.label(), v == null ? "-" : Charts.format(v)));
      for (String k : differing) row.add(configs.get(e.label()).getOrDefault(k, "(absent)"));
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int c = 0; c < header.size(); c++) {
      width[c] = header.get(c).length();
      for (List<String> r : rows) width[c] = Math.max(width[c], r.get(c).length());
    }
    StringBuilder b = new StringBuilder();
    for (List<String> r : Stream.concat(Stream.of(header), rows.stream()).toList()) {
      for (int c = 0; c < r.size(); c++) {
        if (c > 0) b.append("  ");
        b.append(c == 1 || c > 2 ? String.format("%-" + width[c] + "s", r.get(c)) : String.format("%" + width[c] + "s", r.get(c)));
      }
      b.append('\n');
    }
    return b.toString().replaceAll(" +\n", "\n");
  }

  private static String html(List<Entry> ranked, String metric, boolean higher, Map<String, Map<String, String>> configs, List<String> differing,
                             boolean sweep) {
    Html page = new Html("Neurite comparison: " + ranked.size() + " runs by " + metric);
    page.h1("Comparison of " + ranked.size() + " runs");
    page.note("Ranked by " + metric + " (" + (higher ? "higher" : "lower") + " is better).");
    page.nav(List.of(new String[] {"ranking", "Ranking"}, new String[] {"curves", "Learning curves"},
        new String[] {"config", "Config differences"}));
    page.h2("ranking", "Ranking");
    Set<String> finals = new LinkedHashSet<>();
    for (Entry e : ranked) {
      for (String split : RunFiles.SPLITS) e.files().finalMetrics(split).keySet().forEach(k -> finals.add(split + "." + k));
    }
    List<String> header = new ArrayList<>(List.of("rank", "run", "status"));
    header.addAll(finals);
    List<List<Html.Cell>> rows = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      Entry e = ranked.get(i);
      List<Html.Cell> row = new ArrayList<>(List.of(Html.Cell.number(i + 1), Html.Cell.text(e.label()), Html.Cell.text(e.files().status())));
      for (String f : finals) {
        Double v = e.files().finalMetric(f);
        row.add(v == null ? Html.Cell.text("") : Html.Cell.number(v));
      }
      rows.add(row);
    }
    page.table("ranking-table", header, rows);
    if (sweep) {
      Map<String, byte[]> charts = new LinkedHashMap<>();
      Set<String> params = new LinkedHashSet<>();
      ranked.forEach(e -> params.addAll(e.swept().keySet()));
      for (String p : params) charts.put("sweep-" + p, parameterChart(ranked, p, metric));
      page.h3("Swept parameters against " + metric);
      images(page, charts);
    }
    page.h2("curves", "Learning curves");
    Set<String> columns = new LinkedHashSet<>();
    for (Entry e : ranked) {
      e.files().metrics().columns().stream().filter(c -> c.startsWith("train_") || c.startsWith("validation_")).forEach(columns::add);
    }
    Map<String, byte[]> curves = new LinkedHashMap<>();
    for (String c : columns) {
      List<Charts.Series> series = new ArrayList<>();
      for (Entry e : ranked) {
        Table t = e.files().metrics();
        if (t.has(c)) series.add(Charts.Series.line(e.label(), t.epochs(), t.column(c)));
      }
      curves.put("curve-" + c, Charts.lines(c.replace('_', ' '), "epoch", c, series, false));
    }
    images(page, curves);
    page.h2("config", "Config differences");
    if (differing.isEmpty()) {
      page.p("The runs' resolved configs are the same (apart from their names).");
    } else {
      List<String> keys = new ArrayList<>(List.of("key"));
      ranked.forEach(e -> keys.add(e.label()));
      List<List<Html.Cell>> diff = new ArrayList<>();
      for (String k : differing) {
        List<Html.Cell> row = new ArrayList<>(List.of(Html.Cell.text(k)));
        for (Entry e : ranked) row.add(Html.Cell.text(configs.get(e.label()).getOrDefault(k, "(absent)")));
        diff.add(row);
      }
      page.table("config-differences", keys, diff);
    }
    return page.finish();
  }

  private static void images(Html page, Map<String, byte[]> charts) {
    List<Html.Image> images = new ArrayList<>();
    charts.forEach((name, png) -> {
      if (png != null) images.add(new Html.Image(name, png));
    });
    if (!images.isEmpty()) page.images(images);
  }

  /** A numeric parameter as points (value, metric); any other as one bar per value (the metric's mean over its trials). */
  private static byte[] parameterChart(List<Entry> entries, String param, String metric) {
    List<double[]> points = new ArrayList<>();
    Map<String, List<Double>> byValue = new TreeMap<>();
    boolean numeric = true;
    for (Entry e : entries) {
      String value = e.swept().get(param);
      Double m = e.files().finalMetric(metric);
      if (value == null || m == null || m.isNaN()) continue;
      byValue.computeIfAbsent(value, k -> new ArrayList<>()).add(m);
      try {
        points.add(new double[] {Double.parseDouble(value), m});
      } catch (NumberFormatException x) {
        numeric = false;
      }
    }
    if (byValue.isEmpty()) return null;
    if (numeric) {
      points.sort(Comparator.comparingDouble(p -> p[0]));
      double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
      return Charts.lines(param + " against " + metric, param, metric, List.of(new Charts.Series("trials", x, y, true)), false);
    }
    List<String> labels = new ArrayList<>(byValue.keySet());
    List<Double> means = labels.stream().map(k -> byValue.get(k).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)).toList();
    return Charts.bars(param + " against " + metric + " (mean over trials)", param, metric, labels, means);
  }
}
