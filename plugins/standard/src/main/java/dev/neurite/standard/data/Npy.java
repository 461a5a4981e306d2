package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Shape;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Example("features: features.npy, labels: labels.npy")
@Doc("numpy .npy arrays, memory-mapped (a file larger than the heap trains): features [n, ...] and labels [n] "
    + "(class indices or values) or [n, k]; float32/64, int8-64, uint8-32, C order")
public final class Npy implements DataSource {
  public record Params(
      @Doc("the features array, [n, ...sample shape]") Path features,
      @Doc("the labels array, [n] or [n, k]; left out only for predict (training needs labels)") Optional<Path> labels,
      @Doc("check every value is finite when loading (one pass over the files)") @Default("true") boolean checkFinite) {}

  private final Params params;

  @Inject
  public Npy(Params params) {
    this.params = params;
  }

  @Override
  public boolean labeled() {
    return params.labels().isPresent();
  }

  @Override
  public List<Path> files() {
    return params.labels().isPresent() ? List.of(params.features(), params.labels().get()) : List.of(params.features());
  }

  @Override
  public Dataset load() {
    NpyFile x = NpyFile.open(params.features());
    if (x.rows > Integer.MAX_VALUE) throw new NeuriteException(params.features() + ": more than 2^31 rows");
    if (params.labels().isEmpty()) {
      String featuresFile = params.features().toString();
      Dataset d = new MappedDataset(x, null, Map.of("rows", x.rows))
          .locatedBy(row -> featuresFile + " row " + row + " (from 0)");
      if (params.checkFinite()) MappedDataset.checkFinite(d, params.features(), params.features());
      return d;
    }
    Path labels = params.labels().get();
    NpyFile y = NpyFile.open(labels);
    if (x.rows != y.rows) {
      throw new NeuriteException(labels + ": " + y.rows + " labels, but " + params.features() + " has " + x.rows + " rows");
    }
    String labelsFile = labels.toString();
    Dataset d = new MappedDataset(x, y, Map.of("rows", x.rows)).locatedBy(row -> labelsFile + " row " + row + " (from 0)");
    if (params.checkFinite()) MappedDataset.checkFinite(d, params.features(), labels);
    return d;
  }

  /** Rows of two memory-mapped arrays. */
  static final class MappedDataset implements Dataset {
    private final NpyFile x;
    private final NpyFile y;
    private final Shape sampleShape;
    private final Shape targetShape;
    private final Map<String, Object> report;
    private final List<String> names;
    private final Map<Integer, List<String>> categories;

    MappedDataset(NpyFile x, NpyFile y, Map<String, Object> report) {
      this(x, y, report, List.of(), Map.of());
    }

    MappedDataset(NpyFile x, NpyFile y, Map<String, Object> report, List<String> names, Map<Integer, List<String>> categories) {
      this.x = x;
      this.y = y;
      this.sampleShape = x.shape.length == 1 ? Shape.of(1) : Shape.of(Arrays.copyOfRange(x.shape, 1, x.shape.length));
      this.targetShape = y == null || y.shape.length == 1 ? Shape.of(1) : Shape.of(Arrays.copyOfRange(y.shape, 1, y.shape.length));
      Map<String, Object> r = new LinkedHashMap<>(report);
      this.report = Collections.unmodifiableMap(r);
      this.names = List.copyOf(names);
      this.categories = Map.copyOf(categories);
    }

    static void checkFinite(Dataset d, Path features, Path labels) {
      float[] a = new float[d.sampleShape().size()];
      float[] b = new float[d.targetShape().size()];
      for (int r = 0; r < d.size(); r++) {
        d.read(r, a, 0, b, 0);
        for (int j = 0; j < a.length; j++) {
          if (!Float.isFinite(a[j]) && !d.categories().containsKey(j)) {
            throw new NeuriteException(features + ": row " + r + ", element " + j + ": " + a[j] + " is not a finite number");
          }
        }
        for (int j = 0; j < b.length; j++) {
          if (!Float.isFinite(b[j])) throw new NeuriteException(labels + ": row " + r + ", element " + j + ": " + b[j] + " is not a finite number");
        }
      }
    }

    @Override public int size() { return (int) x.rows; }
    @Override public Shape sampleShape() { return sampleShape; }
    @Override public Shape targetShape() { return targetShape; }
    @Override public List<String> featureNames() { return names; }
    @Override public Map<String, Object> report() { return report; }
    @Override public Map<Integer, List<String>> categories() { return categories; }

    @Override
    public void read(int row, float[] out, int xOff, float[] t, int yOff) {
      x.read(row, out, xOff);
      if (y != null) y.read(row, t, yOff);
      else t[yOff] = 0; // unlabeled (predict)
    }

    @Override
    public void readTarget(int row, float[] t, int yOff) {
      if (y != null) y.read(row, t, yOff);
      else t[yOff] = 0;
    }
  }
}
