package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Samples that can be read one row at a time: row {@code i} has features of {@link #sampleShape()}
 * and targets of {@link #targetShape()} (a class index is a target of shape {@code [1]}).
 *
 * <p>A dataset need not be in memory: a source may back it with a memory-mapped file, and splits
 * and transforms are views that read through to it. Training gathers batches with {@link #read}.
 * A dataset is read by one thread at a time.
 */
public interface Dataset {
  int size();

  Shape sampleShape();

  Shape targetShape();

  /** Names of the flattened feature columns, or empty. */
  default List<String> featureNames() {
    return List.of();
  }

  /**
   * Categorical feature columns: flattened feature index to its levels. Such a feature holds a
   * level's index in this list (NaN when missing); a transform (one-hot encoding) turns it into numbers.
   */
  default Map<Integer, List<String>> categories() {
    return Map.of();
  }

  /** Copies row {@code row}: its features to {@code x[xOff..]}, its targets to {@code y[yOff..]}. */
  void read(int row, float[] x, int xOff, float[] y, int yOff);

  /** Copies only the targets of row {@code row} (sources override it when features are costly to read). */
  default void readTarget(int row, float[] y, int yOff) {
    read(row, new float[sampleShape().size()], 0, y, yOff);
  }

  /**
   * Counts and notes a source wants in the run summary, e.g. {@code rows_dropped}. Views pass
   * their base's through.
   */
  default Map<String, Object> report() {
    return Map.of();
  }

  /**
   * Where row {@code row} came from, for error messages: a source names its file and the line or
   * record ({@code digits.csv line 42}, {@code train-labels-idx1-ubyte.gz record 17}); views (splits,
   * transforms) pass the question to the row they read. The default is the row's index.
   */
  default String origin(int row) {
    return "row " + row;
  }

  /** This dataset, with {@link #origin} answered by {@code origin}: how a source names its rows' file and line. */
  default Dataset locatedBy(IntFunction<String> origin) {
    return new Views.Located(this, origin);
  }

  /** An in-memory dataset over {@code features [n, ...]} and {@code targets [n, ...]}. */
  static InMemory of(Tensor features, Tensor targets, List<String> featureNames) {
    return new InMemory(features, targets, featureNames, Map.of());
  }

  static InMemory of(Tensor features, Tensor targets) {
    return of(features, targets, List.of());
  }

  /** A view of the given rows, in the given order (nothing is copied). */
  default Dataset rows(int[] indices) {
    return new Views.Rows(this, indices.clone());
  }

  /**
   * A view that changes every row in place after reading it, keeping the shapes: the way most
   * {@link Transform}s apply.
   */
  default Dataset map(RowOp op) {
    return new Views.Mapped(this, op);
  }

  /** A view with new target shape, computed per row from the base row's targets. */
  default Dataset mapTargets(Shape targetShape, TargetOp op) {
    return new Views.TargetMapped(this, targetShape, op);
  }

  /** The targets of every row, {@code [n, ...target shape]} (for checks such as labels in range). */
  default Tensor allTargets() {
    int t = targetShape().size();
    Tensor y = Tensor.zeros(targetShape().prepend(size()));
    for (int i = 0; i < size(); i++) readTarget(i, y.data(), i * t);
    return y;
  }

  /**
   * A view with a new feature shape (and names), computed per row from the base row's features;
   * the result has no categorical columns left.
   */
  default Dataset mapFeatures(Shape sampleShape, List<String> featureNames, FeatureOp op) {
    return new Views.FeatureMapped(this, sampleShape, featureNames, op);
  }

  /** Maps one row's features {@code in[0..]} to new features {@code out[outOff..]}; {@code row} is for messages. */
  @FunctionalInterface
  interface FeatureOp {
    void apply(int row, float[] in, float[] out, int outOff);
  }

  /** Every row read into memory (for small data and tests). */
  default InMemory materialize() {
    int n = size();
    Tensor x = Tensor.zeros(sampleShape().prepend(n));
    Tensor y = Tensor.zeros(targetShape().prepend(n));
    int w = sampleShape().size();
    int t = targetShape().size();
    for (int i = 0; i < n; i++) read(i, x.data(), i * w, y.data(), i * t);
    return new InMemory(x, y, featureNames(), report(), categories());
  }

  /** Changes one row in place: {@code x[xOff..]} holds its features, {@code y[yOff..]} its targets. */
  @FunctionalInterface
  interface RowOp {
    void apply(float[] x, int xOff, float[] y, int yOff);
  }

  /** Maps one row's targets {@code in[0..]} to new targets {@code out[outOff..]}. */
  @FunctionalInterface
  interface TargetOp {
    void apply(float[] in, float[] out, int outOff);
  }

  /** Samples held in two tensors. */
  record InMemory(Tensor features, Tensor targets, List<String> featureNames, Map<String, Object> report,
      Map<Integer, List<String>> categories) implements Dataset {
    public InMemory(Tensor features, Tensor targets, List<String> featureNames, Map<String, Object> report) {
      this(features, targets, featureNames, report, Map.of());
    }

    public InMemory {
      if (features.shape().rank() < 2 || targets.shape().rank() < 2) {
        throw new IllegalArgumentException("features and targets need a batch dimension and a sample shape, got "
            + features.shape() + " and " + targets.shape());
      }
      if (features.rows() != targets.rows()) {
        throw new IllegalArgumentException(features.rows() + " feature rows but " + targets.rows() + " target rows");
      }
      featureNames = List.copyOf(featureNames);
      report = Collections.unmodifiableMap(new LinkedHashMap<>(report));
      categories = Map.copyOf(categories);
    }

    @Override
    public int size() {
      return features.rows();
    }

    @Override
    public Shape sampleShape() {
      return features.shape().dropFirst();
    }

    @Override
    public Shape targetShape() {
      return targets.shape().dropFirst();
    }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      int w = features.rowSize();
      int t = targets.rowSize();
      System.arraycopy(features.data(), row * w, x, xOff, w);
      System.arraycopy(targets.data(), row * t, y, yOff, t);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      int t = targets.rowSize();
      System.arraycopy(targets.data(), row * t, y, yOff, t);
    }

    @Override
    public InMemory materialize() {
      return this;
    }
  }
}
