package dev.neurite.inference;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SafeTensors;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Loss;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Pass;
import dev.neurite.spi.Transform;
import dev.neurite.spi.Vocabulary;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A trained Neurite model, loaded once from a run directory, predicting from the features a caller
 * has: the run's saved preprocessing is applied, then the model runs in inference mode. No config,
 * no data files: the run's {@code config.yaml}, {@code weights.safetensors},
 * {@code transforms.safetensors} and {@code summary.json} are all it reads.
 *
 * <pre>{@code
 * Predictor model = Predictor.load(Path.of("runs/digits-mlp"));
 * Prediction p = model.predict(pixels);             // float[64]
 * int digit = p.label();
 * float[] probabilities = p.probabilities();
 * }</pre>
 *
 * <p>Thread-safe: concurrent callers each get a replica of the model (built on first need, at most one
 * per available processor, then reused), so calls run in parallel and never share buffers.
 */
public final class Predictor {
  private final Path dir;
  private final ComponentRegistry registry;
  private final Map<String, Tensor> weights;
  private final Map<String, Tensor> transformState;
  private final Map<String, String> transformMetadata;
  private final Shape sourceShape;
  private final List<String> featureNames;
  private final Loss.Reading reading;
  private final int outputs;
  private final Shape outputShape;
  private final Vocabulary vocabulary;
  private final int maxReplicas = Runtime.getRuntime().availableProcessors();
  private final AtomicInteger replicas = new AtomicInteger();
  private final BlockingQueue<Replica> idle = new LinkedBlockingQueue<>();

  /** One independent copy: the restored transforms and the model with the run's weights. */
  private record Replica(List<Transform> transforms, Model model) {}

  private Predictor(Path dir, ComponentRegistry registry) {
    this.dir = dir;
    this.registry = registry;
    if (!Files.isRegularFile(dir.resolve(RunDirectory.WEIGHTS))) {
      throw new NeuriteException(dir + " has no " + RunDirectory.WEIGHTS + ": it is not a completed run");
    }
    try {
      weights = SafeTensors.read(dir.resolve(RunDirectory.WEIGHTS));
      SafeTensors.requireFinite(weights, dir.resolve(RunDirectory.WEIGHTS).toString());
      Path t = dir.resolve(RunDirectory.TRANSFORMS);
      transformState = Files.isRegularFile(t) ? SafeTensors.read(t) : Map.of();
      transformMetadata = Files.isRegularFile(t) ? SafeTensors.readMetadata(t) : Map.of();
    } catch (IOException e) {
      throw new NeuriteException("cannot read the run " + dir + ": " + e.getMessage(), e);
    }
    Map<String, Object> summary = RunDirectory.readJsonObject(dir.resolve(RunDirectory.SUMMARY));
    Object shape = summary.get("source_shape");
    if (shape == null && summary.get("model") instanceof Map<?, ?> m) shape = m.get("input"); // runs from before source_shape
    if (shape == null) throw new NeuriteException(dir.resolve(RunDirectory.SUMMARY) + " records no input shape (source_shape)");
    sourceShape = parseShape(shape.toString());
    List<String> names = new ArrayList<>();
    if (summary.get("feature_names") instanceof List<?> l) l.forEach(n -> names.add(n.toString()));
    featureNames = List.copyOf(names);
    Replica first = newReplica();
    replicas.incrementAndGet();
    idle.add(first);
    reading = loaded(registry).spec().loss().reading();
    outputShape = first.model().shapes().get(first.model().shapes().size() - 1);
    outputs = outputShape.size();
    vocabulary = first.transforms().stream().filter(t -> t instanceof Vocabulary).map(t -> (Vocabulary) t).findFirst().orElse(null);
  }

  /** Loads a completed run directory with the plugins of {@code registry}. */
  public static Predictor load(Path runDir, ComponentRegistry registry) {
    return new Predictor(runDir, registry);
  }

  /** The shape of one input row as the data source gives it (before the run's preprocessing). */
  public Shape inputShape() {
    return sourceShape;
  }

  /** The shape of one row's outputs: [classes], or [time, classes] for a next-token model. */
  public Shape outputShape() {
    return outputShape;
  }

  /** The text source's vocabulary, restored with the run, when the run reads text. */
  public Optional<Vocabulary> vocabulary() {
    return Optional.ofNullable(vocabulary);
  }

  /** Loads a completed run directory, with the plugins on the class path. */
  public static Predictor load(Path runDir) {
    return new Predictor(runDir, ComponentRegistry.discover(Predictor.class.getClassLoader()));
  }

  /** Loads a completed run directory, with the plugins on the class path and those in {@code pluginDirectories}. */
  public static Predictor load(Path runDir, List<Path> pluginDirectories) {
    return new Predictor(runDir, ComponentRegistry.discover(Predictor.class.getClassLoader(), pluginDirectories));
  }

  /** The values of one input row, in order (e.g. 64 pixels, or a csv source's feature columns). */
  public int featureCount() {
    return sourceShape.size();
  }

  /** The csv source's feature column names, in input order (empty for other sources). */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The model's outputs per row (classes, or regression targets). */
  public int outputCount() {
    return outputs;
  }

  /** How the run's loss reads the outputs (classes from logits, values, ...): what {@link Prediction#of} needs. */
  public Loss.Reading reading() {
    return reading;
  }

  /** Whether predictions are classes ({@link Prediction#label()} is set). */
  public boolean isClassifier() {
    return reading != Loss.Reading.VALUES;
  }

  /** One row's prediction. */
  public Prediction predict(float[] features) {
    return predict(new float[][] {features}).get(0);
  }

  /** A batch of rows' predictions, in order. */
  public List<Prediction> predict(float[][] rows) {
    float[] out = outputs(rows);
    List<Prediction> predictions = new ArrayList<>(rows.length);
    for (int r = 0; r < rows.length; r++) {
      float[] row = new float[outputs];
      System.arraycopy(out, r * outputs, row, 0, outputs);
      predictions.add(Prediction.of(reading, row));
    }
    return predictions;
  }

  /** The model's raw outputs for a batch of rows, row after row ({@code rows.length * outputCount()} values). */
  public float[] outputs(float[][] rows) {
    int width = sourceShape.size();
    Tensor x = Tensor.zeros(sourceShape.prepend(rows.length));
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != width) {
        throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values; the model reads " + width
            + (featureNames.isEmpty() ? "" : " (" + String.join(", ", featureNames) + ")"));
      }
      System.arraycopy(rows[r], 0, x.data(), r * width, width);
    }
    Replica replica = borrow();
    try {
      Dataset data = new Dataset.InMemory(x, Tensor.zeros(rows.length, 1), featureNames, Map.of());
      for (Transform t : replica.transforms()) data = t.apply(data);
      Tensor in = Tensor.zeros(data.sampleShape().prepend(rows.length));
      float[] ignored = new float[Math.max(1, data.targetShape().size())];
      int w = data.sampleShape().size();
      for (int r = 0; r < rows.length; r++) data.read(r, in.data(), r * w, ignored, 0);
      return replica.model().forward(in, Pass.INFERENCE).data().clone();
    } finally {
      idle.add(replica);
    }
  }

  private Replica borrow() {
    Replica r = idle.poll();
    if (r != null) return r;
    if (replicas.incrementAndGet() <= maxReplicas) {
      try {
        return newReplica();
      } catch (RuntimeException e) {
        replicas.decrementAndGet();
        throw e;
      }
    }
    replicas.decrementAndGet();
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free model replica", e);
    }
  }

  private LoadedExperiment loaded(ComponentRegistry registry) {
    return new ExperimentLoader(registry).load(List.of(dir.resolve(RunDirectory.CONFIG)), List.of(), System::getenv);
  }

  /** Fresh components from the run's config, the preprocessing restored, the model built and loaded. */
  private Replica newReplica() {
    LoadedExperiment loaded = loaded(registry);
    List<Transform> transforms = new ArrayList<>();
    List<Transform> pre = loaded.spec().data().source().preprocessing();
    List<Transform> configured = loaded.spec().data().transforms();
    Dataset shapes = new Dataset.InMemory(Tensor.zeros(sourceShape.prepend(1)), Tensor.zeros(1, 1), featureNames, Map.of());
    for (int i = 0; i < pre.size() + configured.size(); i++) {
      boolean own = i < pre.size();
      Transform t = own ? pre.get(i) : configured.get(i - pre.size());
      String key = own ? "source." + i : "transforms." + (i - pre.size());
      t.restore(of(transformState, key), of(transformMetadata, key));
      transforms.add(t);
      shapes = t.apply(shapes);
    }
    Model model = Model.graph(loaded.spec().model().layers());
    List<String> paths = IntStream.range(0, loaded.spec().model().layers().size()).mapToObj(i -> "model.layers[" + i + "]").toList();
    model.build(shapes.sampleShape(), paths, false);
    SavedRun.loadInto(dir, model, weights);
    return new Replica(List.copyOf(transforms), model);
  }

  /** The entries of {@code all} under {@code key + "."}, with that prefix taken off. */
  private static <V> Map<String, V> of(Map<String, V> all, String key) {
    Map<String, V> out = new java.util.LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(key + ".")) out.put(k.substring(key.length() + 1), v);
    });
    return out;
  }

  static Shape parseShape(String text) {
    String inner = text.trim().replaceAll("^\\[|\\]$", "").trim();
    if (inner.isEmpty()) throw new NeuriteException("not a shape: " + text);
    int[] dims = java.util.Arrays.stream(inner.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    return Shape.of(dims);
  }
}
