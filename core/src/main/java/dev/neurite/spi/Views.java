package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The lazy {@link Dataset} views: row subsets and per-row transforms. */
final class Views {
  private Views() {}

  /** Rows of a base dataset, in the given order. */
  record Rows(Dataset base, int[] indices) implements Dataset {
    Rows {
      for (int i : indices) {
        if (i < 0 || i >= base.size()) throw new IllegalArgumentException("row " + i + " is outside 0.." + (base.size() - 1));
      }
    }

    @Override public int size() { return indices.length; }
    @Override public Shape sampleShape() { return base.sampleShape(); }
    @Override public Shape targetShape() { return base.targetShape(); }
    @Override public List<String> featureNames() { return base.featureNames(); }
    @Override public Map<String, Object> report() { return base.report(); }
    @Override public Map<Integer, List<String>> categories() { return base.categories(); }
    @Override public String origin(int row) { return base.origin(indices[row]); }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      base.read(indices[row], x, xOff, y, yOff);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      base.readTarget(indices[row], y, yOff);
    }

    @Override
    public Dataset rows(int[] more) {
      int[] composed = new int[more.length];
      for (int i = 0; i < more.length; i++) composed[i] = indices[more[i]];
      return new Rows(base, composed);
    }
  }

  /** A base dataset with an in-place operation applied to each row as it is read. */
  static final class Mapped implements Dataset {
    private final Dataset base;
    private final Dataset.RowOp op;
    private float[] features; // for readTarget: the op may read the features, so the whole row is read

    Mapped(Dataset base, Dataset.RowOp op) {
      this.base = base;
      this.op = op;
    }

    @Override public int size() { return base.size(); }
    @Override public Shape sampleShape() { return base.sampleShape(); }
    @Override public Shape targetShape() { return base.targetShape(); }
    @Override public List<String> featureNames() { return base.featureNames(); }
    @Override public Map<String, Object> report() { return base.report(); }
    @Override public Map<Integer, List<String>> categories() { return base.categories(); }
    @Override public String origin(int row) { return base.origin(row); }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      base.read(row, x, xOff, y, yOff);
      op.apply(x, xOff, y, yOff);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      if (features == null) features = new float[base.sampleShape().size()];
      read(row, features, 0, y, yOff);
    }
  }

  /** A base dataset whose targets are recomputed, with a new shape, as each row is read. */
  static final class TargetMapped implements Dataset {
    private final Dataset base;
    private final Shape targetShape;
    private final Dataset.TargetOp op;
    private final float[] scratch;

    TargetMapped(Dataset base, Shape targetShape, Dataset.TargetOp op) {
      this.base = base;
      this.targetShape = targetShape;
      this.op = op;
      this.scratch = new float[base.targetShape().size()];
    }

    @Override public int size() { return base.size(); }
    @Override public Shape sampleShape() { return base.sampleShape(); }
    @Override public Shape targetShape() { return targetShape; }
    @Override public List<String> featureNames() { return base.featureNames(); }
    @Override public Map<String, Object> report() { return base.report(); }
    @Override public Map<Integer, List<String>> categories() { return base.categories(); }
    @Override public String origin(int row) { return base.origin(row); }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      base.read(row, x, xOff, scratch, 0);
      op.apply(scratch, y, yOff);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      base.readTarget(row, scratch, 0);
      op.apply(scratch, y, yOff);
    }
  }

  /** A base dataset whose features are recomputed, with a new shape, as each row is read. */
  static final class FeatureMapped implements Dataset {
    private final Dataset base;
    private final Shape sampleShape;
    private final List<String> names;
    private final Dataset.FeatureOp op;
    private final float[] scratch;

    FeatureMapped(Dataset base, Shape sampleShape, List<String> names, Dataset.FeatureOp op) {
      this.base = base;
      this.sampleShape = sampleShape;
      this.names = List.copyOf(names);
      this.op = op;
      this.scratch = new float[base.sampleShape().size()];
    }

    @Override public int size() { return base.size(); }
    @Override public Shape sampleShape() { return sampleShape; }
    @Override public Shape targetShape() { return base.targetShape(); }
    @Override public List<String> featureNames() { return names; }
    @Override public Map<String, Object> report() { return base.report(); }
    @Override public String origin(int row) { return base.origin(row); }

    @Override
    public void read(int row, float[] x, int xOff, float[] y, int yOff) {
      base.read(row, scratch, 0, y, yOff);
      op.apply(row, scratch, x, xOff);
    }

    @Override
    public void readTarget(int row, float[] y, int yOff) {
      base.readTarget(row, y, yOff);
    }
  }

  /** A dataset whose rows name their origin (a source's file and line). */
  record Located(Dataset base, IntFunction<String> locate) implements Dataset {
    @Override public int size() { return base.size(); }
    @Override public Shape sampleShape() { return base.sampleShape(); }
    @Override public Shape targetShape() { return base.targetShape(); }
    @Override public List<String> featureNames() { return base.featureNames(); }
    @Override public Map<String, Object> report() { return base.report(); }
    @Override public Map<Integer, List<String>> categories() { return base.categories(); }
    @Override public String origin(int row) { return locate.apply(row); }
    @Override public void read(int row, float[] x, int xOff, float[] y, int yOff) { base.read(row, x, xOff, y, yOff); }
    @Override public void readTarget(int row, float[] y, int yOff) { base.readTarget(row, y, yOff); }
  }
}
