package dev.neurite.train;

import dev.neurite.config.ConfigError;
import dev.neurite.config.ConfigException;
import dev.neurite.config.ExperimentSpec;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.nn.Model;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Shape;
import java.util.ArrayList;
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

  private Experiment(LoadedExperiment loaded, Splits splits, Model model, Shape outputShape) {
    this.loaded = loaded;
    this.splits = splits;
    this.model = model;
    this.outputShape = outputShape;
    this.metricNames = metricNames(loaded);
  }

  public static Experiment prepare(LoadedExperiment loaded) {
    ExperimentSpec spec = loaded.spec();
    Dataset all;
    try {
      all = spec.data().source().load();
    } catch (NeuriteException | IllegalArgumentException e) {
      throw new NeuriteException("data.source (" + loaded.positionOf("data.source") + "): " + e.getMessage(), e);
    }
    if (all.size() == 0) {
      throw new NeuriteException("data.source (" + loaded.positionOf("data.source") + "): the source has no rows");
    }
    Splits splits;
    try {
      splits = Splits.of(all, spec.data().split(), RandomStream.derive(spec.seed(), "data.split"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigError(loaded.positionOf("data.split"), "data.split", e.getMessage()));
    }
    splits = transform(loaded, splits);

    Model model = Model.graph(spec.model().layers());
    List<String> paths = IntStream.range(0, spec.model().layers().size()).mapToObj(i -> "model.layers[" + i + "]").toList();
    Shape out;
    try {
      out = model.build(splits.train().sampleShape(), paths, false);
    } catch (Model.ShapeException e) {
      String path = paths.get(e.layerIndex());
      throw new ConfigException(new ConfigError(loaded.positionOf(path), path, e.getMessage()));
    }
    try {
      spec.loss().checkModel(model.layers());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigError(loaded.positionOf("loss"), "loss", e.getMessage()));
    }
    try {
      spec.loss().check(out, splits.train().targets());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigError(loaded.positionOf("loss"), "loss",
          "model output shape " + out + " and target shape " + splits.train().targetShape() + " do not fit: " + e.getMessage()));
    }
    return new Experiment(loaded, splits, model, out);
  }

  private static Splits transform(LoadedExperiment loaded, Splits s) {
    List<Transform> transforms = loaded.spec().data().transforms();
    Dataset train = s.train();
    Dataset val = s.validation();
    Dataset test = s.test();
    for (int i = 0; i < transforms.size(); i++) {
      Transform t = transforms.get(i);
      String path = "data.transforms[" + i + "]";
      try {
        t.fit(train);
        train = t.apply(train);
        val = val == null ? null : t.apply(val);
        test = test == null ? null : t.apply(test);
      } catch (NeuriteException | IllegalArgumentException e) {
        throw new NeuriteException(path + " (" + loaded.positionOf(path) + "): " + e.getMessage(), e);
      }
    }
    return new Splits(train, val, test);
  }

  /** Metric column names: each metric's type name, numbered when a name repeats. */
  private static List<String> metricNames(LoadedExperiment loaded) {
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

  public ExperimentSpec spec() {
    return loaded.spec();
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
