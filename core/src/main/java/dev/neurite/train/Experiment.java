package dev.neurite.train;

import dev.neurite.config.ConfigError;
import dev.neurite.config.ConfigException;
import dev.neurite.config.DataSpec;
import dev.neurite.config.ExperimentSpec;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.nn.Model;
import dev.neurite.spi.DataRowException;
import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A validated config turned into what training needs: the data read, split and transformed (fitted
 * on the training split only), and the model built with its shapes checked against the data and
 * the loss. Problems found here name the config position of the component involved.
 */
public final class Experiment {
  private final LoadedExperiment loaded;
  private final Splits splits;
  private final Model model;
  private final Shape outputShape;
  private final List<String> metricNames;

  private final Map<String, Map<String, Object>> dataReport;
  private final List<FittedTransform> transforms;
  private final Dataset source;

  private Experiment(LoadedExperiment loaded, Dataset source, Splits splits, Model model, Shape outputShape,
      Map<String, Map<String, Object>> dataReport, List<FittedTransform> transforms) {
    this.source = source;
    this.dataReport = dataReport;
    this.transforms = transforms;
    this.loaded = loaded;
    this.splits = splits;
    this.model = model;
    this.outputShape = outputShape;
    this.metricNames = metricNames(loaded);
  }

  public static Experiment prepare(LoadedExperiment loaded) {
    return prepare(loaded, null);
  }

  /** Fitted transform state saved with a run: tensors and text, under the keys {@link FittedTransform#key} prefixes. */
  public record SavedTransforms(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
    Map<String, Tensor> tensorsOf(String key) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      tensors.forEach((k, v) -> {
        if (k.startsWith(key + ".")) out.put(k.substring(key.length() + 1), v);
      });
      return out;
    }

    Map<String, String> metadataOf(String key) {
      Map<String, String> out = new LinkedHashMap<>();
      metadata.forEach((k, v) -> {
        if (k.startsWith(key + ".")) out.put(k.substring(key.length() + 1), v);
      });
      return out;
    }
  }

  /**
   * As {@link #prepare(LoadedExperiment)}, but with {@code saved} (when not null) the transforms
   * take back a saved run's fitted state instead of fitting: how evaluate and predict apply a
   * trained model's preprocessing to any data.
   */
  public static Experiment prepare(LoadedExperiment loaded, SavedTransforms saved) {
    return prepare(loaded, saved, false);
  }

  /**
   * As {@link #prepare(LoadedExperiment, SavedTransforms)}; with {@code inputGradient} the model's
   * backward also returns d(output)/d(input), as explaining a prediction needs.
   */
  public static Experiment prepare(LoadedExperiment loaded, SavedTransforms saved, boolean inputGradient) {
    ExperimentSpec spec = loaded.spec();
    DataSpec data = spec.data();
    if (saved == null && !data.source().labeled()) {
      throw new ConfigException(new ConfigError(loaded.positionOf("data.source"), "data.source",
          "the source has no labels; training needs them (a source without labels is for ./neurite predict)"));
    }
    Dataset all = load(loaded, data.source(), "data.source");
    Dataset validation = data.validation().map(s -> load(loaded, s, "data.validation")).orElse(null);
    Dataset test = data.test().map(s -> load(loaded, s, "data.test")).orElse(null);
    checkSeparateSource(loaded, "validation", validation, all, data.split().validation());
    checkSeparateSource(loaded, "test", test, all, data.split().test());
    Splits splits;
    try {
      splits = Splits.of(all, data.split(), RandomStream.derive(spec.seed(), "data.split"), data.source().ordered());
    } catch (DataRowException e) {
      throw new NeuriteException("data.split (" + loaded.positionOf("data.split") + "): " + e.at(all.origin(e.row())), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigError(loaded.positionOf("data.split"), "data.split", e.getMessage()));
    }
    splits = new Splits(splits.train(), validation != null ? validation : splits.validation(),
        test != null ? test : splits.test());
    List<FittedTransform> fitted = new ArrayList<>();
    splits = transform(loaded, splits, fitted, saved);
    for (int i = 0; i < data.augment().size(); i++) {
      String path = "data.augment[" + i + "]";
      try {
        data.augment().get(i).check(splits.train().sampleShape());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(new ConfigError(loaded.positionOf(path), path,
            e.getMessage() + " (the samples have shape " + splits.train().sampleShape() + " after the transforms)"));
      }
    }
    if (spec.explain().isPresent()) checkExplain(loaded, splits);

    Model model = Model.graph(spec.model().layers());
    List<String> paths = IntStream.range(0, spec.model().layers().size()).mapToObj(i -> "model.layers[" + i + "]").toList();
    Shape out;
    try {
      out = model.build(splits.train().sampleShape(), paths, inputGradient, spec.training().bptt());
    } catch (Model.ShapeException e) {
      String path = paths.get(e.layerIndex());
      throw new ConfigException(new ConfigError(loaded.positionOf(path), path, e.getMessage()));
    }
    try {
      spec.loss().checkModel(model.layers());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigError(loaded.positionOf("loss"), "loss", e.getMessage()));
    }
    Map<String, Dataset> named = new LinkedHashMap<>();
    named.put("training", splits.train());
    if (splits.validation() != null) named.put("validation", splits.validation());
    if (splits.test() != null) named.put("test", splits.test());
    for (Map.Entry<String, Dataset> e : named.entrySet()) {
      try {
        spec.loss().check(out, e.getValue().allTargets());
      } catch (DataRowException ex) {
        String where = ex.at(e.getValue().origin(ex.row()));
        if (ex.badValue()) {
          throw new NeuriteException(where + " (" + e.getKey() + " split, checked by loss at " + loaded.positionOf("loss") + ")", ex);
        }
        throw new ConfigException(new ConfigError(loaded.positionOf("loss"), "loss", "model output shape " + out
            + " and the " + e.getKey() + " split's targets " + e.getValue().targetShape() + " do not fit: " + where));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(new ConfigError(loaded.positionOf("loss"), "loss", "model output shape " + out
            + " and the " + e.getKey() + " split's targets " + e.getValue().targetShape() + " do not fit: " + ex.getMessage()));
      }
    }
    if (saved == null) checkSetup(loaded, spec, out, splits); // a saved run was checked when it trained; predict feeds it a few rows
    Map<String, Map<String, Object>> report = new LinkedHashMap<>();
    if (!all.report().isEmpty()) report.put("source", all.report());
    if (validation != null && !validation.report().isEmpty()) report.put("validation", validation.report());
    if (test != null && !test.report().isEmpty()) report.put("test", test.report());
    return new Experiment(loaded, all, splits, model, out, Map.copyOf(report), List.copyOf(fitted));
  }

  private static Dataset load(LoadedExperiment loaded, DataSource source, String path) {
    Dataset d;
    try {
      d = source.load();
    } catch (NeuriteException | IllegalArgumentException e) {
      throw new NeuriteException(path + " (" + loaded.positionOf(path) + "): " + e.getMessage(), e);
    }
    if (d.size() == 0) throw new NeuriteException(path + " (" + loaded.positionOf(path) + "): the source has no rows");
    return d;
  }

  /** A separate validation or test source must match the main source's shapes and replace its split fraction. */
  private static void checkSeparateSource(LoadedExperiment loaded, String split, Dataset separate, Dataset main, double fraction) {
    if (separate == null) return;
    String path = "data." + split;
    if (fraction > 0) {
      throw new ConfigException(new ConfigError(loaded.positionOf("data.split"), "data.split." + split,
          "data." + split + " is a separate source, so split." + split + " must be 0 (it is " + fraction + ")"));
    }
    if (!separate.sampleShape().equals(main.sampleShape()) || !separate.targetShape().equals(main.targetShape())) {
      throw new ConfigException(new ConfigError(loaded.positionOf(path), path, "samples of shape " + separate.sampleShape()
          + " with targets " + separate.targetShape() + ", but data.source has samples " + main.sampleShape()
          + " with targets " + main.targetShape()));
    }
  }

  /** What each source reported (rows dropped, categories...), for the run summary; empty reports are left out. */
  public Map<String, Map<String, Object>> dataReport() {
    return dataReport;
  }

  /** A fitted transform and the key its state is saved under ({@code source.0}, {@code transforms.1}). */
  public record FittedTransform(String key, Transform transform) {}

  /** The source's own preprocessing, then the configured transforms, each fitted on the training split. */
  private static Splits transform(LoadedExperiment loaded, Splits s, List<FittedTransform> fitted, SavedTransforms saved) {
    List<Transform> pre = loaded.spec().data().source().preprocessing();
    List<Transform> configured = loaded.spec().data().transforms();
    Dataset train = s.train();
    Dataset val = s.validation();
    Dataset test = s.test();
    for (int i = 0; i < pre.size() + configured.size(); i++) {
      boolean own = i < pre.size();
      Transform t = own ? pre.get(i) : configured.get(i - pre.size());
      String path = own ? "data.source" : "data.transforms[" + (i - pre.size()) + "]";
      String split = "training";
      String key = own ? "source." + i : "transforms." + (i - pre.size());
      Dataset input = train;
      try {
        if (saved == null) t.fit(train);
        else t.restore(saved.tensorsOf(key), saved.metadataOf(key));
        train = t.apply(train);
        split = "validation";
        input = val;
        val = val == null ? null : t.apply(val);
        split = "test";
        input = test;
        test = test == null ? null : t.apply(test);
      } catch (DataRowException e) {
        throw new NeuriteException(path + " (" + loaded.positionOf(path) + "), " + split + " split: " + e.at(input.origin(e.row())), e);
      } catch (NeuriteException | IllegalArgumentException e) {
        throw new NeuriteException(path + " (" + loaded.positionOf(path) + "), " + split + " split: " + e.getMessage()
            + (saved == null ? "" : " (with the preprocessing saved as " + key + ".* in " + saved.source() + ")"), e);
      } catch (RuntimeException e) {
        if (saved == null) throw e;
        throw new NeuriteException(saved.source() + ": the preprocessing saved as " + key + ".* does not fit " + path + " ("
            + loaded.positionOf(path) + "): " + Messages.brief(e), e);
      }
      fitted.add(new FittedTransform(key, t));
    }
    return new Splits(train, val, test);
  }

  /** Every metric, callback and schedule that can check itself against the built experiment does so ({@link dev.neurite.spi.SetupCheck}). */
  private static void checkSetup(LoadedExperiment loaded, ExperimentSpec spec, Shape out, Splits splits) {
    List<String> names = metricNames(loaded);
    List<String> columns = new ArrayList<>();
    names.forEach(n -> columns.add("train_" + n));
    if (splits.validation() != null) names.forEach(n -> columns.add("validation_" + n));
    if (spec.schedule().isPresent()) columns.add("lr_factor");
    SetupCheck.Setup setup = new SetupCheck.Setup(out, splits.train().targetShape(), spec.loss().reading(), columns);
    Map<String, Object> checked = new LinkedHashMap<>();
    for (int i = 0; i < spec.metrics().size(); i++) checked.put("metrics[" + i + "]", spec.metrics().get(i));
    for (int i = 0; i < spec.callbacks().size(); i++) checked.put("callbacks[" + i + "]", spec.callbacks().get(i));
    spec.schedule().ifPresent(sc -> checked.put("schedule", sc));
    List<ConfigError> errors = new ArrayList<>();
    checked.forEach((path, component) -> {
      if (!(component instanceof SetupCheck c)) return;
      try {
        c.check(setup);
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError(loaded.positionOf(path), path, e.getMessage()));
      }
    });
    if (!errors.isEmpty()) throw new ConfigException(errors);
    int batch = spec.training().batchSize();
    if (batch > splits.train().size()) {
      throw new ConfigException(new ConfigError(loaded.positionOf("training.batch_size"), "training.batch_size", "batch_size " + batch
          + " is larger than the training split's " + splits.train().size() + " rows; every step would see the whole split (use at most "
          + splits.train().size() + ")"));
    }
  }

  /** The {@code explain:} section fits the data: its split exists, its rows are in it, its methods take the samples' shape. */
  private static void checkExplain(LoadedExperiment loaded, Splits splits) {
    var explain = loaded.spec().explain().orElseThrow();
    List<ConfigError> errors = new ArrayList<>();
    Dataset split = switch (explain.split()) {
      case TRAIN -> splits.train();
      case VALIDATION -> splits.validation();
      case TEST -> splits.test();
    };
    String name = explain.split().name().toLowerCase(java.util.Locale.ROOT);
    if (split == null) {
      errors.add(new ConfigError(loaded.positionOf("explain.split"), "explain.split", "the data has no " + name + " split; explain "
          + "rows of another (train" + (splits.validation() != null ? ", validation" : "") + (splits.test() != null ? ", test" : "") + ")"));
    } else {
      for (int r : explain.rows()) {
        if (r >= split.size()) {
          errors.add(new ConfigError(loaded.positionOf("explain.rows"), "explain.rows", "row " + r + " is not in the " + name
              + " split, which has rows 0 to " + (split.size() - 1)));
        }
      }
    }
    Object resolved = loaded.resolved().get("explain") instanceof Map<?, ?> m ? m.get("methods") : null;
    for (int i = 0; i < explain.methods().size(); i++) {
      String path = "explain.methods[" + i + "]";
      try {
        explain.methods().get(i).check(splits.train().sampleShape());
      } catch (IllegalArgumentException e) {
        Object method = resolved instanceof List<?> l && i < l.size() ? l.get(i) : null;
        String type = method instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : String.valueOf(method);
        errors.add(new ConfigError(loaded.positionOf(path), path, type + ": " + e.getMessage()));
      }
    }
    if (!errors.isEmpty()) throw new ConfigException(errors);
  }

  /** Metric column names: each metric's type name, numbered when a name repeats. */
  public static List<String> metricNames(LoadedExperiment loaded) {
    Object list = loaded.resolved().get("metrics");
    List<String> names = new ArrayList<>();
    if (list instanceof List<?> items) {
      for (Object item : items) {
        String base = item instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : String.valueOf(item);
        String name = base;
        for (int k = 2; names.contains(name); k++) name = base + "_" + k;
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  public LoadedExperiment loaded() {
    return loaded;
  }

  /**
   * The random streams the augmentations draw from, by config path: the part of the data cursor
   * that is not the row order (the prefetch thread draws from them ahead of training).
   */
  public Map<String, RandomStream> augmentationStreams() {
    Map<String, RandomStream> out = new LinkedHashMap<>();
    loaded.streams().forEach((path, stream) -> {
      if (path.startsWith("data.augment[")) out.put(path, stream);
    });
    return out;
  }

  public ExperimentSpec spec() {
    return loaded.spec();
  }

  /** {@code raw} rows (shaped as the main source's) with this experiment's transforms applied, in order, unfitted. */
  public Dataset preprocess(Dataset raw) {
    Dataset d = raw;
    for (FittedTransform t : transforms) d = t.transform().apply(d);
    return d;
  }

  /** The main source's rows as read, before the split and the transforms. */
  public Dataset source() {
    return source;
  }

  /** The main source's feature column names (before any transform), or empty. */
  public List<String> sourceFeatures() {
    return source.featureNames();
  }

  /** Every fitted transform, in the order applied (the source's preprocessing first). */
  public List<FittedTransform> transforms() {
    return transforms;
  }

  public Splits splits() {
    return splits;
  }

  public Model model() {
    return model;
  }

  public Shape outputShape() {
    return outputShape;
  }

  /** Column names of the configured metrics, in config order. */
  public List<String> metricNames() {
    return metricNames;
  }
}
