package dev.neurite.explain;

import com.google.gson.GsonBuilder;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Explainer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Splits;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Explains a saved run's predictions on some rows of one split with some attribution methods, and
 * writes what it found: {@code attributions.safetensors} (the inputs, and per method the attributions,
 * {@code [samples, ...sample shape]}), {@code explain.json} (rows, targets, predictions, each method's
 * resolved config and per-sample figures) and, for tabular data, {@code importance.csv}.
 */
public final class Explanation {
  /** Which output to explain: each sample's predicted class, its true class, or one fixed output. */
  public record Target(String mode, int index) {
    public static Target parse(String text) {
      if (text.equals("predicted") || text.equals("true")) return new Target(text, -1);
      try {
        int i = Integer.parseInt(text.trim());
        if (i >= 0) return new Target("index", i);
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("--target must be predicted, true or an output index (0, 1, ...), got '" + text + "'");
    }

    @Override
    public String toString() {
      return mode.equals("index") ? Integer.toString(index) : mode;
    }
  }

  /** One method to run: its name in the outputs, the explainer, and its resolved config (for the record). */
  public record Method(String name, Explainer explainer, Object config) {}

  /** What one method found: per-sample attributions (a local method) or feature-group importance (a global one). */
  public record MethodResult(Method method, Tensor attributions, Map<String, double[]> perSample, Explainer.Importance importance) {}

  /** The explained rows of {@code split}, their inputs, targets and predictions, and each method's result. */
  public record Result(String split, int splitSize, int[] rows, Tensor inputs, int[] targets, int[] predicted, int[] truth,
                       double[] confidence, Target target, List<String> featureNames, List<MethodResult> methods,
                       List<SanityCheck.Outcome> sanity, Result mistakes) {
    Result with(List<SanityCheck.Outcome> checks, Result confidentMistakes) {
      return new Result(split, splitSize, rows, inputs, targets, predicted, truth, confidence, target, featureNames, methods, checks,
          confidentMistakes);
    }
  }

  /** How many of the split's most confident mistakes the image pictures add below the explained rows. */
  static final int MISTAKES = 4;

  /** What to explain: a split's rows (given, or its first {@code samples}), which output, by which methods, checked or not. */
  public record Request(String split, int samples, List<Integer> rows, Target target, List<Method> methods, boolean sanityChecks) {}

  /**
   * Runs {@code request} on a run opened with input gradients: the attributions, and (when asked and
   * some method is local) the model-randomization check against the run's untrained model.
   */
  public static Result run(ComponentRegistry registry, SavedRun saved, Request request) {
    Dataset data = split(saved, request.split());
    int[] picked = rows(data, request.split(), request.rows(), request.samples());
    Result r = explain(saved, request.split(), data, picked, request.target(), request.methods());
    List<Method> local = request.methods().stream().filter(m -> m.explainer() instanceof Explainer.Local).toList();
    if (local.isEmpty()) return r;
    Result mistakes = null;
    if (data.sampleShape().rank() == 3) { // images: the pictures show the split's most confident mistakes too
      int[] worst = confidentMistakes(saved, data, MISTAKES);
      if (worst.length > 0) mistakes = explain(saved, request.split(), data, worst, request.target(), local);
    }
    List<SanityCheck.Outcome> sanity = List.of();
    if (request.sanityChecks()) {
      var experiment = saved.experiment();
      ModelView view = new ModelView(experiment.model(), experiment.splits().train());
      sanity = SanityCheck.modelRandomization(experiment.model(), saved.untrainedModel(registry), view, r.inputs(), r.targets(),
          r.methods());
    }
    return r.with(sanity, mistakes);
  }

  /** The rows of {@code data} the model gets wrong with the highest confidence (softmax of its outputs), at most {@code count}. */
  static int[] confidentMistakes(SavedRun saved, Dataset data, int count) {
    var experiment = saved.experiment();
    ModelView model = new ModelView(experiment.model(), experiment.splits().train());
    int per = data.sampleShape().size();
    List<double[]> wrong = new ArrayList<>(); // {row, confidence}
    float[] y = new float[data.targetShape().size()];
    for (int from = 0; from < data.size(); from += ModelView.BATCH) {
      int m = Math.min(ModelView.BATCH, data.size() - from);
      Tensor x = Tensor.zeros(data.sampleShape().prepend(m));
      int[] truth = new int[m];
      for (int i = 0; i < m; i++) {
        data.read(from + i, x.data(), i * per, y, 0);
        truth[i] = -1;
        if (y.length == 1) truth[i] = (int) y[0];
        else truth[i] = argMax(y, 0, y.length);
      }
      Tensor out = model.outputs(x);
      int k = out.rowSize();
      if (k == 1) return new int[0];
      for (int i = 0; i < m; i++) {
        int predicted = argMax(out.data(), i * k, k);
        if (predicted != truth[i]) wrong.add(new double[] {from + i, softmaxMax(out.data(), i * k, k)});
      }
    }
    return wrong.stream().sorted(Comparator.comparingDouble((double[] w) -> -w[1]).thenComparingDouble(w -> w[0])).limit(count)
        .mapToInt(w -> (int) w[0]).toArray();
  }

  private static double softmaxMax(float[] v, int offset, int k) {
    double max = v[offset + argMax(v, offset, k)];
    double sum = 0;
    for (int i = 0; i < k; i++) sum += Math.exp(v[offset + i] - max);
    return 1 / sum;
  }

  /** The methods of the run's {@code explain:} section, named by their types (a repeated type gets _2, _3, ...). */
  public static List<Method> configured(SavedRun saved) {
    var spec = saved.experiment().spec().explain().orElseThrow();
    Object tree = saved.experiment().loaded().resolved().get("explain");
    List<?> resolved = tree instanceof Map<?, ?> m && m.get("methods") instanceof List<?> l ? l : List.of();
    List<Method> methods = new ArrayList<>();
    for (int i = 0; i < spec.methods().size(); i++) {
      Object config = i < resolved.size() ? resolved.get(i) : null;
      methods.add(new Method(name(config, methods), spec.methods().get(i), config));
    }
    return methods;
  }

  /** A method's name in the outputs: its type, numbered when the type repeats among {@code earlier}. */
  public static String name(Object resolvedConfig, List<Method> earlier) {
    String base = resolvedConfig instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : String.valueOf(resolvedConfig);
    long same = earlier.stream().filter(m -> m.name().equals(base) || m.name().startsWith(base + "_")).count();
    return same == 0 ? base : base + "_" + (same + 1);
  }

  private Explanation() {}

  /** The rows to explain: {@code rows} when given (checked against the split), else the first {@code samples}. */
  public static int[] rows(Dataset data, String split, List<Integer> rows, int samples) {
    if (rows != null && !rows.isEmpty()) {
      for (int r : rows) {
        if (r < 0 || r >= data.size()) {
          throw new IllegalArgumentException("--rows: row " + r + " is not in the " + split + " split, which has rows 0 to " + (data.size() - 1));
        }
      }
      return rows.stream().mapToInt(Integer::intValue).toArray();
    }
    return IntStream.range(0, Math.min(samples, data.size())).toArray();
  }

  public static Result explain(SavedRun run, String split, Dataset data, int[] rows, Target target, List<Method> methods) {
    var experiment = run.experiment();
    ModelView model = new ModelView(experiment.model(), experiment.splits().train());
    int per = data.sampleShape().size();
    Tensor inputs = Tensor.zeros(data.sampleShape().prepend(rows.length));
    float[] y = new float[data.targetShape().size()];
    float[][] truth = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      data.read(rows[i], inputs.data(), i * per, y, 0);
      truth[i] = y.clone();
    }
    Tensor outputs = model.outputs(inputs);
    int k = outputs.rowSize();
    int[] predicted = new int[rows.length];
    int[] targets = new int[rows.length];
    int[] truthIndex = new int[rows.length];
    double[] confidence = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      predicted[i] = k == 1 ? 0 : argMax(outputs.data(), i * k, k);
      truthIndex[i] = trueOutput(truth[i], k);
      confidence[i] = k == 1 ? outputs.data()[i] : softmaxMax(outputs.data(), i * k, k);
      targets[i] = switch (target.mode()) {
        case "predicted" -> predicted[i];
        case "true" -> trueOutput(truth[i], k);
        default -> {
          if (target.index() >= k) {
            throw new IllegalArgumentException("--target " + target.index() + ": the model has " + k + " output" + (k == 1 ? "" : "s")
                + " (0 to " + (k - 1) + ")");
          }
          yield target.index();
        }
      };
    }
    List<MethodResult> results = new ArrayList<>();
    for (Method m : methods) {
      try {
        if (m.explainer() instanceof Explainer.Local local) {
          Explainer.Attributions a = local.attribute(model, inputs, targets);
          results.add(new MethodResult(m, a.values(), a.perSample(), null));
        } else if (m.explainer() instanceof Explainer.Global global) {
          results.add(new MethodResult(m, null, Map.of(), global.importance(model, data, scoring(run))));
        } else {
          throw new IllegalArgumentException(m.explainer().getClass().getName() + " implements neither Explainer.Local nor Explainer.Global");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(m.name() + ": " + e.getMessage(), e);
      }
    }
    List<String> names = data.featureNames().size() == per ? data.featureNames() : List.of();
    return new Result(split, data.size(), rows, inputs, targets, predicted, truthIndex, confidence, target, names, results, List.of(), null);
  }

  /** The run's metrics through the trainer's evaluation (inference mode), and which way each improves. */
  private static Explainer.Scoring scoring(SavedRun run) {
    var experiment = run.experiment();
    List<String> names = experiment.metricNames();
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the run's config lists no metrics, and this method measures how they change; "
          + "add some with --set 'metrics=[loss, accuracy]'");
    }
    Map<String, Boolean> higher = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) higher.put(names.get(i), experiment.spec().metrics().get(i).higherIsBetter());
    Trainer trainer = new Trainer(experiment);
    return new Explainer.Scoring() {
      @Override
      public Map<String, Double> score(Dataset data) {
        return trainer.evaluate(data);
      }

      @Override
      public boolean higherIsBetter(String metric) {
        return higher.getOrDefault(metric, true);
      }
    };
  }

  /** The class index of a target row: the index itself, or the hot one of a one-hot row; 0 for a single output. */
  private static int trueOutput(float[] y, int outputs) {
    if (outputs == 1) return 0;
    if (y.length == 1) return (int) y[0];
    return argMax(y, 0, y.length);
  }

  private static int argMax(float[] v, int offset, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) if (v[offset + i] > v[offset + best]) best = i;
    return best;
  }

  /** Integrated gradients' completeness error relative to |f(x) - f(x')|, per sample (NaN where that is 0). */
  public static double[] relativeCompleteness(MethodResult r) {
    double[] error = r.perSample().get("completeness_error");
    double[] difference = r.perSample().get("output_difference");
    if (error == null || difference == null) return null;
    double[] out = new double[error.length];
    for (int i = 0; i < out.length; i++) out[i] = difference[i] == 0 ? Double.NaN : Math.abs(error[i]) / Math.abs(difference[i]);
    return out;
  }

  public static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Writes the result into {@code dir} (created; files there of the same names are replaced). */
  public static void write(Result r, Path dir, Path runDir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("inputs", r.inputs());
    for (MethodResult m : r.methods()) if (m.attributions() != null) tensors.put(m.method().name(), m.attributions());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("split", r.split());
    meta.put("rows", Arrays.stream(r.rows()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    meta.put("targets", Arrays.stream(r.targets()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    AtomicFiles.write(dir.resolve("attributions.safetensors"), SafeTensors.encode(tensors, meta));

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", runDir.toAbsolutePath().normalize().toString());
    json.put("split", r.split());
    json.put("rows", r.rows());
    json.put("target", r.target().toString());
    json.put("targets", r.targets());
    json.put("predicted", r.predicted());
    json.put("true", r.truth());
    if (r.mistakes() != null) json.put("confident_mistakes", r.mistakes().rows());
    List<Object> methods = new ArrayList<>();
    for (MethodResult m : r.methods()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", m.method().name());
      entry.put("config", m.method().config());
      m.perSample().forEach(entry::put);
      double[] relative = relativeCompleteness(m);
      if (relative != null) {
        entry.put("relative_completeness_error", relative);
        entry.put("median_relative_completeness_error", median(relative));
      }
      if (m.importance() != null) {
        entry.put("rows", r.splitSize());
        entry.put("groups", m.importance().groups());
        entry.put("baseline", m.importance().baseline());
        Map<String, Object> byMetric = new LinkedHashMap<>();
        for (String metric : m.importance().mean().keySet()) {
          byMetric.put(metric, Map.of("mean", m.importance().mean().get(metric), "std", m.importance().std().get(metric)));
        }
        entry.put("importance", byMetric);
      }
      methods.add(entry);
    }
    json.put("methods", methods);
    if (!r.sanity().isEmpty()) {
      List<Object> checks = new ArrayList<>();
      for (SanityCheck.Outcome o : r.sanity()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", o.method());
        entry.put("spearman_fully_randomized", o.full());
        entry.put("insensitive", o.full() >= SanityCheck.INSENSITIVE);
        entry.put("cascade", o.cascade().stream().map(st -> Map.of("randomized_from_layer", st.fromLayer(), "spearman", st.spearman())).toList());
        checks.add(entry);
      }
      json.put("sanity_checks", Map.of("model_randomization", checks));
    }
    AtomicFiles.write(dir.resolve("explain.json"),
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping().create().toJson(json) + "\n");

    if (r.inputs().shape().rank() == 2) AtomicFiles.write(dir.resolve("importance.csv"), importance(r));
  }

  /**
   * Draws the pictures of {@code r} into {@code dir}: an image grid per local method (the explained rows,
   * then the split's most confident mistakes), or bar charts for tabular data. Returns why it could not,
   * or null: the pictures need a font (Debian: fontconfig and fonts-dejavu-core), the numbers do not.
   */
  public static String writePictures(Result r, Path dir) {
    try {
      Shape sample = r.inputs().shape().dropFirst();
      if (sample.rank() == 3) {
        for (MethodResult m : r.methods()) {
          if (m.attributions() == null) continue;
          List<Pictures.Row> rows = new ArrayList<>();
          addRows(rows, r, m.method().name(), "");
          if (r.mistakes() != null) addRows(rows, r.mistakes(), m.method().name(), "wrong: ");
          boolean signed = false;
          for (float v : m.attributions().data()) signed |= v < 0;
          Pictures.imageGrid(dir.resolve(m.method().name() + ".png"), m.method().name(), sample, rows, signed);
        }
      } else if (sample.rank() == 1) {
        Pictures.tabular(dir, r);
      }
      return null;
    } catch (IOException | RuntimeException | Error e) {
      return "the pictures were not drawn (" + e + "); the numbers are complete. Charts need a font: on Debian, apt-get install "
          + "fontconfig fonts-dejavu-core";
    }
  }

  private static void addRows(List<Pictures.Row> rows, Result r, String method, String prefix) {
    MethodResult m = r.methods().stream().filter(x -> x.method().name().equals(method)).findFirst().orElse(null);
    if (m == null || m.attributions() == null) return;
    for (int i = 0; i < r.rows().length; i++) {
      String title = String.format(Locale.ROOT, "%srow %d: true %d, pred. %d (%.2f)", prefix, r.rows()[i], r.truth()[i],
          r.predicted()[i], r.confidence()[i]);
      rows.add(new Pictures.Row(title, Pictures.row(r.inputs(), i), Pictures.row(m.attributions(), i)));
    }
  }

  /**
   * Per feature: for each local method the mean |attribution| over the explained samples and the
   * feature's rank (1: most important); for each global method and metric the importance's mean and std.
   */
  static String importance(Result r) {
    int n = r.rows().length;
    int features = r.inputs().rowSize();
    StringBuilder b = new StringBuilder("feature");
    List<double[]> columns = new ArrayList<>();
    List<int[]> ranks = new ArrayList<>();
    for (MethodResult m : r.methods()) {
      if (m.attributions() == null) continue;
      b.append(",mean_abs_").append(m.method().name()).append(",rank_").append(m.method().name());
      double[] mean = new double[features];
      float[] a = m.attributions().data();
      for (int s = 0; s < n; s++) for (int f = 0; f < features; f++) mean[f] += Math.abs(a[s * features + f]) / n;
      columns.add(mean);
      ranks.add(rankOf(mean));
    }
    for (MethodResult m : r.methods()) {
      if (m.importance() == null || m.importance().groups().size() != features) continue;
      for (String metric : m.importance().mean().keySet()) {
        String prefix = m.method().name() + "_" + metric;
        b.append(',').append(prefix).append("_mean,").append(prefix).append("_std,rank_").append(prefix);
        columns.add(m.importance().mean().get(metric));
        columns.add(m.importance().std().get(metric));
        ranks.add(null);
        ranks.add(rankOf(m.importance().mean().get(metric)));
      }
    }
    b.append('\n');
    for (int f = 0; f < features; f++) {
      String name = r.featureNames().isEmpty() ? "x" + f : r.featureNames().get(f);
      b.append(name.matches(".*[,\"\n].*") ? "\"" + name.replace("\"", "\"\"") + "\"" : name);
      for (int c = 0; c < columns.size(); c++) {
        b.append(',').append(String.format(Locale.ROOT, "%.6g", columns.get(c)[f]));
        if (ranks.get(c) != null) b.append(',').append(ranks.get(c)[f]);
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** 1 for the largest value, 2 for the next, ...; ties by position. */
  private static int[] rankOf(double[] values) {
    int[] order = IntStream.range(0, values.length).boxed()
        .sorted(Comparator.comparingDouble((Integer f) -> -values[f]).thenComparing(f -> f)).mapToInt(Integer::intValue).toArray();
    int[] rank = new int[values.length];
    for (int i = 0; i < order.length; i++) rank[order[i]] = i + 1;
    return rank;
  }

  /** The split named {@code split} of the run, or a clear error. */
  public static Dataset split(SavedRun run, String split) {
    Splits s = run.experiment().splits();
    Dataset d = switch (split) {
      case "train" -> s.train();
      case "validation" -> s.validation();
      case "test" -> s.test();
      default -> throw new IllegalArgumentException("--split must be train, validation or test, got '" + split + "'");
    };
    if (d == null) throw new IllegalArgumentException(run.directory() + " has no " + split + " split; explain rows of another with --split");
    return d;
  }
}
