package dev.neurite.report;

import dev.neurite.explain.Pictures;
import dev.neurite.inference.Prediction;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Loss;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code report.html}: one self-contained page per run (inline PNG charts, no script, no network)
 * with the final metrics, the learning curves, the evaluation of the model on its test split (or
 * validation, or train: confusion matrix with per-class precision, recall and F1 and, for images,
 * the most confident mistakes; for regression, predicted against true and the residuals), the
 * training diagnostics, the model summary, the data, the resolved config and the provenance. Every
 * chart is also written to {@code plots/NAME.png}. Sections whose files are missing (a run from
 * before diagnostics, a failed run without weights) are left out, and the page says so.
 */
public final class RunReport {
  public static final String FILE = "report.html";
  public static final String PLOTS = "plots";
  /** Most confident mistakes shown for image data. */
  static final int MISTAKES = 16;

  private final RunFiles files;
  private final Experiment experiment;
  private final String modelUnavailable;
  private final Map<String, byte[]> plots = new LinkedHashMap<>();
  private final List<String[]> sections = new ArrayList<>();
  private final Html body = Html.fragment();

  private RunReport(RunFiles files, Experiment experiment, String modelUnavailable) {
    this.files = files;
    this.experiment = experiment;
    this.modelUnavailable = modelUnavailable;
  }

  /** The report of a finished run directory, its model rebuilt from the saved weights (when it has some) for the evaluation. */
  public static Path write(ComponentRegistry registry, Path dir) {
    RunFiles files = RunFiles.read(dir);
    Experiment experiment = null;
    String unavailable = null;
    if (!Files.isRegularFile(dir.resolve(RunDirectory.WEIGHTS))) {
      unavailable = "the run has no " + RunDirectory.WEIGHTS + " (status: " + files.status() + "), so there is no model to evaluate";
    } else {
      try {
        experiment = SavedRun.open(registry, dir, List.of()).experiment();
      } catch (NeuriteException e) {
        unavailable = "the model could not be loaded: " + e.getMessage();
      }
    }
    return new RunReport(files, experiment, unavailable).write();
  }

  /** The report of a run that did not complete (failed, diverged, interrupted): everything but the evaluation. */
  public static Path writeWithoutModel(Path dir) {
    RunFiles files = RunFiles.read(dir);
    return new RunReport(files, null, "the run did not complete (status: " + files.status() + "), so there is no model to evaluate").write();
  }

  /** The report of a run just trained: {@code experiment} holds the trained model and the prepared data. */
  public static Path write(Path dir, Experiment experiment) {
    return new RunReport(RunFiles.read(dir), experiment, null).write();
  }

  private Path write() {
    Path dir = files.dir();
    overview();
    curves();
    evaluation();
    diagnostics();
    model();
    data();
    config();
    provenance();
    Html page = new Html(files.name() + " - Neurite report");
    page.h1(files.name());
    page.note(dir.toAbsolutePath().normalize().toString());
    page.nav(sections);
    page.raw(body.content());
    try {
      Files.createDirectories(dir.resolve(PLOTS));
      for (Map.Entry<String, byte[]> p : plots.entrySet()) AtomicFiles.write(dir.resolve(PLOTS).resolve(p.getKey() + ".png"), p.getValue());
      AtomicFiles.write(dir.resolve(FILE), page.finish());
    } catch (IOException e) {
      throw new NeuriteException("cannot write the report into " + dir + ": " + e.getMessage(), e);
    }
    return dir.resolve(FILE);
  }

  private void section(String id, String title) {
    sections.add(new String[] {id, title});
    body.h2(id, title);
  }

  /** Charts side by side, each also kept for plots/NAME.png (null charts, with nothing to draw, are skipped). */
  private void charts(Map<String, byte[]> named) {
    List<Html.Image> images = new ArrayList<>();
    named.forEach((name, png) -> {
      if (png == null) return;
      plots.put(name, png);
      images.add(new Html.Image(name, png));
    });
    if (!images.isEmpty()) body.images(images);
  }

  private void overview() {
    section("overview", "Overview");
    Map<String, Object> s = files.summary();
    List<List<Html.Cell>> rows = new ArrayList<>();
    rows.add(List.of(Html.Cell.text("status"), Html.Cell.text(files.status())));
    if (s.get("epochs") instanceof Number n) rows.add(List.of(Html.Cell.text("epochs"), Html.Cell.number(n.doubleValue())));
    if (s.get("stopped_early") != null) rows.add(List.of(Html.Cell.text("stopped early"), Html.Cell.text(s.get("stopped_early").toString())));
    if (s.get("seconds") instanceof Number n) rows.add(List.of(Html.Cell.text("seconds"), Html.Cell.number(n.doubleValue())));
    if (s.get("parameters") instanceof Number n) rows.add(List.of(Html.Cell.text("parameters"), Html.Cell.number(n.doubleValue())));
    if (s.get("error") != null) rows.add(List.of(Html.Cell.text("error"), Html.Cell.text(s.get("error").toString())));
    Object sha = s.getOrDefault("weights_sha256", files.manifest().get("weights_sha256"));
    if (sha != null) rows.add(List.of(Html.Cell.text("weights SHA-256"), Html.Cell.text(sha.toString())));
    body.table("run", List.of("run", ""), rows);
    Set<String> names = new LinkedHashSet<>();
    for (String split : RunFiles.SPLITS) names.addAll(files.finalMetrics(split).keySet());
    if (names.isEmpty()) {
      body.note("summary.json holds no final metrics.");
      return;
    }
    body.h3("Final metrics (inference mode, after the last epoch)");
    List<List<Html.Cell>> metricRows = new ArrayList<>();
    for (String split : RunFiles.SPLITS) {
      Map<String, Double> m = files.finalMetrics(split);
      if (m.isEmpty()) continue;
      List<Html.Cell> row = new ArrayList<>(List.of(Html.Cell.text(split)));
      for (String name : names) row.add(m.containsKey(name) ? Html.Cell.number(m.get(name)) : Html.Cell.text(""));
      metricRows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("split"));
    header.addAll(names);
    body.table("final-metrics", header, metricRows);
  }

  /** Per metric: train and validation over the epochs, the test value as a marker at the last epoch; then the learning rate and epoch time. */
  private void curves() {
    Table metrics = files.metrics();
    if (metrics.isEmpty()) return;
    section("curves", "Learning curves");
    double[] epochs = metrics.epochs();
    Set<String> names = new LinkedHashSet<>();
    for (String c : metrics.columns()) {
      if (c.startsWith("train_")) names.add(c.substring(6));
      else if (c.startsWith("validation_")) names.add(c.substring(11));
    }
    Map<String, byte[]> charts = new LinkedHashMap<>();
    for (String name : names) {
      List<Charts.Series> series = new ArrayList<>();
      if (metrics.has("train_" + name)) series.add(Charts.Series.line("train", epochs, metrics.column("train_" + name)));
      if (metrics.has("validation_" + name)) series.add(Charts.Series.line("validation", epochs, metrics.column("validation_" + name)));
      Double test = files.finalMetric("test." + name);
      if (test != null) series.add(new Charts.Series("test (final)", new double[] {epochs[epochs.length - 1]}, new double[] {test}, true));
      charts.put("curve-" + name, Charts.lines(name, "epoch", name, series, false));
    }
    Table diagnostics = files.diagnostics();
    if (!diagnostics.isEmpty() && diagnostics.has("lr")) {
      charts.put("learning-rate", Charts.lines("learning rate", "epoch", "lr", List.of(Charts.Series.line("lr", diagnostics.epochs(),
          diagnostics.column("lr"))), false));
    } else if (metrics.has("lr_factor")) {
      charts.put("learning-rate", Charts.lines("learning-rate factor (schedule)", "epoch", "factor",
          List.of(Charts.Series.line("factor", epochs, metrics.column("lr_factor"))), false));
    }
    if (metrics.has("seconds")) {
      charts.put("epoch-seconds", Charts.lines("time per epoch", "epoch", "seconds", List.of(Charts.Series.line("seconds", epochs,
          metrics.column("seconds"))), false));
    }
    charts(charts);
    body.raw("<details><summary>metrics.csv</summary>\n");
    List<List<Html.Cell>> rows = new ArrayList<>();
    for (double[] r : metrics.rows()) {
      List<Html.Cell> row = new ArrayList<>();
      for (double v : r) row.add(Html.Cell.number(v));
      rows.add(row);
    }
    body.table("metrics", metrics.columns(), rows);
    body.raw("</details>\n");
  }

  private void diagnostics() {
    Table d = files.diagnostics();
    if (d.isEmpty()) {
      sections.add(new String[] {"diagnostics", "Diagnostics"});
      body.h2("diagnostics", "Diagnostics");
      body.note("This run has no diagnostics.csv (training.diagnostics was off, or the run predates it).");
      return;
    }
    section("diagnostics", "Training diagnostics");
    body.note("From diagnostics.csv: gradient norms are means over every 16th step of an epoch; the update ratio is |step| / |weights| "
        + "at the epoch's last step; a dead unit is a ReLU output that was 0 for every training sample of the epoch; activation "
        + "statistics are over a fixed probe batch of up to 256 training rows in inference mode.");
    double[] epochs = d.epochs();
    Map<String, byte[]> charts = new LinkedHashMap<>();
    charts.put("diagnostics-grad-norm", kindChart(d, epochs, "grad_norm", "gradient L2 norm", true));
    charts.put("diagnostics-weight-norm", kindChart(d, epochs, "weight_norm", "weight L2 norm", false));
    charts.put("diagnostics-update-ratio", kindChart(d, epochs, "update_ratio", "update / weight ratio", true));
    charts.put("diagnostics-dead-units", kindChart(d, epochs, "dead_fraction", "fraction of dead ReLU units", false));
    charts.put("diagnostics-activation-mean", kindChart(d, epochs, "activation_mean", "activation mean (probe batch)", false));
    charts.put("diagnostics-activation-std", kindChart(d, epochs, "activation_std", "activation std (probe batch)", false));
    charts(charts);
  }

  private static byte[] kindChart(Table d, double[] epochs, String kind, String title, boolean log) {
    List<Charts.Series> series = new ArrayList<>();
    for (String c : d.ofKind(kind)) series.add(Charts.Series.line(c.substring(kind.length() + 1), epochs, d.column(c)));
    return series.isEmpty() ? null : Charts.lines(title, "epoch", kind, series, log);
  }

  private void evaluation() {
    if (experiment == null) {
      section("evaluation", "Evaluation");
      body.note(modelUnavailable);
      return;
    }
    var splits = experiment.splits();
    String split = splits.test() != null ? "test" : splits.validation() != null ? "validation" : "train";
    Dataset data = splits.test() != null ? splits.test() : splits.validation() != null ? splits.validation() : splits.train();
    section("evaluation", "Evaluation on the " + split + " split");
    int n = data.size();
    Tensor targets = data.allTargets();
    int t = targets.rowSize();
    int[] filled = {0};
    int k = experiment.outputShape().size();
    float[] out = new float[n * k];
    new Trainer(experiment).outputs(data, batch -> {
      System.arraycopy(batch.data(), 0, out, filled[0], batch.size());
      filled[0] += batch.size();
    });
    Shape outputShape = experiment.outputShape();
    // a class per step (a next-token model's [time, classes] against [time]): each step counts as a row
    int steps = outputShape.rank() == 2 && t == outputShape.dim(0) ? outputShape.dim(0) : 1;
    if (classification()) {
      classes(split, data, out, k / steps, targets.data(), t / steps, steps);
    } else {
      regression(split, out, k, targets.data(), t);
    }
  }

  /** Whether the loss reads the outputs as classes (logits, log-probabilities or scores), not values. */
  private boolean classification() {
    return experiment.spec().loss().reading() != Loss.Reading.VALUES;
  }

  private void classes(String split, Dataset data, float[] out, int k, float[] y, int t, int steps) {
    int n = data.size() * steps;
    int classes = k == 1 ? 2 : k;
    int[] truth = new int[n];
    int[] predicted = new int[n];
    double[] confidence = new double[n];
    Loss.Reading reading = experiment.spec().loss().reading();
    float[] row = new float[k];
    for (int i = 0; i < n; i++) {
      truth[i] = t == 1 ? Math.round(y[i]) : argMax(y, i * t, t);
      System.arraycopy(out, i * k, row, 0, k);
      Prediction p = Prediction.of(reading, row); // as predict reads it
      predicted[i] = p.label();
      // a single binary logit: the probability of the predicted class; else the predicted class's probability (or score)
      confidence[i] = k == 1 && reading == Loss.Reading.BINARY_LOGITS ? Math.max(p.probabilities()[0], 1 - p.probabilities()[0])
          : p.probabilities()[k == 1 ? 0 : p.label()];
    }
    long[][] m = new long[classes][classes];
    for (int i = 0; i < n; i++) {
      if (truth[i] >= 0 && truth[i] < classes) m[truth[i]][predicted[i]]++;
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) names.add(Integer.toString(c));
    long correct = 0;
    for (int c = 0; c < classes; c++) correct += m[c][c];
    long padded = 0; // steps whose target is the padding's (-100): left out, as the metrics leave them out
    for (int i = 0; i < n; i++) if (y.length > 0 && t == 1 && y[i] == dev.neurite.spi.StepMask.IGNORED_TARGET) padded++;
    long scored = n - padded;
    body.p(steps > 1
        ? String.format(Locale.ROOT, "%d steps (%d rows of %d%s), %d classes; %d predicted right (accuracy %s).", scored, data.size(), steps,
            padded > 0 ? ", less " + padded + " padded steps" : "", classes, correct, Charts.format(correct / (double) scored))
        : String.format(Locale.ROOT, "%d rows, %d classes; %d predicted right (accuracy %s).", n, classes, correct,
            Charts.format(correct / (double) n)));
    charts(Map.of("confusion-matrix", Charts.confusion("confusion matrix (" + split + ")", m, names)));
    List<List<Html.Cell>> rows = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      long tp = m[c][c];
      long actual = 0;
      long claimed = 0;
      for (int j = 0; j < classes; j++) {
        actual += m[c][j];
        claimed += m[j][c];
      }
      double precision = claimed == 0 ? Double.NaN : tp / (double) claimed;
      double recall = actual == 0 ? Double.NaN : tp / (double) actual;
      double f1 = precision + recall == 0 || Double.isNaN(precision) || Double.isNaN(recall) ? Double.NaN
          : 2 * precision * recall / (precision + recall);
      rows.add(List.of(Html.Cell.text(names.get(c)), Html.Cell.number(actual), Html.Cell.number(precision), Html.Cell.number(recall),
          Html.Cell.number(f1)));
    }
    body.table("per-class", List.of("class", "rows", "precision", "recall", "F1"), rows);
    Shape image = imageShape();
    if (image == null || steps > 1) return;
    List<Integer> wrong = new ArrayList<>();
    for (int i = 0; i < n; i++) if (predicted[i] != truth[i]) wrong.add(i);
    wrong.sort(Comparator.comparingDouble((Integer i) -> -confidence[i]).thenComparing(i -> i));
    if (wrong.isEmpty()) return;
    List<float[]> pictures = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int width = data.sampleShape().size();
    float[] x = new float[width];
    float[] target = new float[Math.max(1, t)];
    for (int i : wrong.subList(0, Math.min(MISTAKES, wrong.size()))) {
      data.read(i, x, 0, target, 0);
      pictures.add(Pictures.channelMean(x, image));
      captions.add(reading == Loss.Reading.CLASS_SCORES
          ? String.format(Locale.ROOT, "row %d: %d as %d (score %.3g)", i, truth[i], predicted[i], confidence[i])
          : String.format(Locale.ROOT, "row %d: %d as %d (%.0f%%)", i, truth[i], predicted[i], 100 * confidence[i]));
    }
    body.h3("Most confident mistakes");
    body.note("The " + pictures.size() + " rows of the " + split + " split the model gets wrong with the highest confidence: "
        + "row: true class as predicted class (confidence).");
    charts(Map.of("confident-mistakes", Charts.imageGrid(pictures, captions, image.dim(1), image.dim(2), 8)));
  }

  /** The images' shape {@code [c, h, w]}: the samples' own, or the output of a first reshape layer; null for other data. */
  private Shape imageShape() {
    Shape sample = experiment.splits().train().sampleShape();
    if (sample.rank() == 3) return sample;
    Shape first = experiment.model().shapes().get(1);
    Object layers = experiment.loaded().resolved().get("model") instanceof Map<?, ?> m ? m.get("layers") : null;
    Object layer = layers instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
    boolean reshape = layer instanceof Map<?, ?> m ? "reshape".equals(m.get("type")) : "reshape".equals(layer);
    return reshape && first.rank() == 3 && first.size() == sample.size() ? first : null;
  }

  private void regression(String split, float[] out, int k, float[] y, int t) {
    int n = out.length / Math.max(1, k);
    if (k != t) {
      body.note("The model has " + k + " outputs per row and the targets " + t + ": no predicted-against-true chart.");
      return;
    }
    double[] truth = new double[n * k];
    double[] predicted = new double[n * k];
    double[] residuals = new double[n * k];
    double abs = 0;
    double sq = 0;
    for (int i = 0; i < n * k; i++) {
      truth[i] = y[i];
      predicted[i] = out[i];
      residuals[i] = predicted[i] - truth[i];
      abs += Math.abs(residuals[i]);
      sq += residuals[i] * residuals[i];
    }
    body.p(String.format(Locale.ROOT, "%d rows, %d output%s: mean absolute error %s, root mean squared error %s.", n, k, k == 1 ? "" : "s",
        Charts.format(abs / (n * k)), Charts.format(Math.sqrt(sq / (n * k)))));
    Map<String, byte[]> charts = new LinkedHashMap<>();
    charts.put("predicted-vs-true", Charts.scatter("predicted against true (" + split + ")", "true", "predicted", truth, predicted));
    charts.put("residuals", Charts.histogram("residuals (predicted - true)", "residual", residuals, 30));
    charts(charts);
  }

  private void model() {
    if (!(files.summary().get("model") instanceof Map<?, ?> m) || !(m.get("layers") instanceof List<?> layers)) return;
    section("model", "Model");
    body.p("input " + m.get("input"));
    List<List<Html.Cell>> rows = new ArrayList<>();
    for (Object o : layers) {
      if (!(o instanceof Map<?, ?> l)) continue;
      rows.add(List.of(Html.Cell.text(String.valueOf(l.get("name"))), Html.Cell.text(String.valueOf(l.get("type"))),
          Html.Cell.text(String.valueOf(l.get("output"))), number(l.get("parameters")), number(l.get("buffers")), number(l.get("multiply_adds"))));
    }
    rows.add(List.of(Html.Cell.text("total"), Html.Cell.text(""), Html.Cell.text(""), number(m.get("parameters")), number(m.get("buffers")),
        number(m.get("multiply_adds"))));
    body.table("model-summary", List.of("layer", "type", "output shape", "parameters", "buffers", "multiply-adds per sample"), rows);
  }

  private static Html.Cell number(Object o) {
    return o instanceof Number n ? Html.Cell.number(n.doubleValue()) : Html.Cell.text(String.valueOf(o));
  }

  private void data() {
    section("data", "Data");
    if (files.summary().get("rows") instanceof Map<?, ?> rows) {
      List<List<Html.Cell>> table = new ArrayList<>();
      rows.forEach((split, count) -> table.add(List.of(Html.Cell.text(split.toString()), number(count))));
      body.table("rows", List.of("split", "rows"), table);
    }
    if (experiment != null && classification()) balance();
    transforms();
  }

  /** Rows per class and split. */
  private void balance() {
    var splits = experiment.splits();
    Map<String, Dataset> bySplit = new LinkedHashMap<>();
    bySplit.put("train", splits.train());
    if (splits.validation() != null) bySplit.put("validation", splits.validation());
    if (splits.test() != null) bySplit.put("test", splits.test());
    Map<Integer, long[]> counts = new TreeMap<>();
    int s = 0;
    for (Dataset d : bySplit.values()) {
      Tensor y = d.allTargets();
      int t = y.rowSize();
      Shape outputShape = experiment.outputShape();
      boolean perStep = outputShape.rank() == 2 && t == outputShape.dim(0); // a class index per step: each counts
      for (int i = 0; i < d.size() * (perStep ? t : 1); i++) {
        int c = t == 1 || perStep ? Math.round(y.data()[i]) : argMax(y.data(), i * t, t);
        if (perStep && y.data()[i] == dev.neurite.spi.StepMask.IGNORED_TARGET) continue; // a padded step
        counts.computeIfAbsent(c, key -> new long[bySplit.size()])[s]++;
      }
      s++;
    }
    body.h3("Class balance");
    List<List<Html.Cell>> rows = new ArrayList<>();
    counts.forEach((c, per) -> {
      List<Html.Cell> row = new ArrayList<>(List.of(Html.Cell.text(Integer.toString(c))));
      for (long v : per) row.add(Html.Cell.number(v));
      rows.add(row);
    });
    List<String> header = new ArrayList<>(List.of("class"));
    header.addAll(bySplit.keySet());
    body.table("class-balance", header, rows);
  }

  /** The configured transforms and their fitted statistics (from the live experiment, or transforms.safetensors). */
  private void transforms() {
    Map<String, Tensor> state = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    if (experiment != null) {
      for (Experiment.FittedTransform f : experiment.transforms()) {
        f.transform().state().forEach((key, v) -> state.put(f.key() + "." + key, v));
        f.transform().metadata().forEach((key, v) -> metadata.put(f.key() + "." + key, v));
      }
    } else if (Files.isRegularFile(files.dir().resolve(RunDirectory.TRANSFORMS))) {
      try {
        state.putAll(SafeTensors.read(files.dir().resolve(RunDirectory.TRANSFORMS)));
        metadata.putAll(SafeTensors.readMetadata(files.dir().resolve(RunDirectory.TRANSFORMS)));
      } catch (IOException e) {
        body.note("transforms.safetensors cannot be read: " + e.getMessage());
      }
    }
    if (state.isEmpty() && metadata.isEmpty()) {
      body.note("No fitted preprocessing.");
      return;
    }
    body.h3("Fitted preprocessing");
    List<List<Html.Cell>> rows = new ArrayList<>();
    state.forEach((name, tensor) -> {
      float[] v = tensor.data();
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (float f : v) {
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
        sum += f;
      }
      rows.add(List.of(Html.Cell.text(name), Html.Cell.text(tensor.shape().toString()), Html.Cell.number(v.length == 0 ? Double.NaN : lo),
          Html.Cell.number(v.length == 0 ? Double.NaN : sum / v.length), Html.Cell.number(v.length == 0 ? Double.NaN : hi)));
    });
    metadata.forEach((name, value) -> rows.add(List.of(Html.Cell.text(name), Html.Cell.text(value.length() > 200 ? value.substring(0, 200)
        + "..." : value), Html.Cell.text(""), Html.Cell.text(""), Html.Cell.text(""))));
    body.table("transforms", List.of("statistic", "shape or value", "min", "mean", "max"), rows);
  }

  private void config() {
    section("config", "Config (resolved)");
    body.pre(files.config());
  }

  private void provenance() {
    if (files.manifest().isEmpty()) return;
    section("provenance", "Provenance (manifest.json)");
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", files.manifest(), flat);
    List<List<Html.Cell>> rows = new ArrayList<>();
    flat.forEach((k, v) -> rows.add(List.of(Html.Cell.text(k), Html.Cell.text(v))));
    body.table("provenance", List.of("key", "value"), rows);
  }

  private static void flatten(String prefix, Object value, Map<String, String> into) {
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, into));
    } else if (value instanceof List<?> l && !l.isEmpty() && l.stream().anyMatch(e -> e instanceof Map<?, ?>)) {
      for (int i = 0; i < l.size(); i++) flatten(prefix + "[" + i + "]", l.get(i), into);
    } else if (value instanceof List<?> l) {
      into.put(prefix, String.join(" ", l.stream().map(String::valueOf).toList()));
    } else {
      into.put(prefix, value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.valueOf(value));
    }
  }

  static int argMax(float[] v, int offset, int k) {
    int best = 0;
    for (int i = 1; i < k; i++) if (v[offset + i] > v[offset + best]) best = i;
    return best;
  }
}
