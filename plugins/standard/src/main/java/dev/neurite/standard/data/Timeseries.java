package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Messages;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Suggestions;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

@Doc("A time series from a CSV file whose rows are consecutive steps: each sample is a window of `lookback` rows of the "
    + "input columns [lookback, columns], its target the `target` column `horizon` rows after the window's last. "
    + "The windows are in time order, so data.split cuts them into spans (training first, then validation, then "
    + "test) instead of shuffling; each input column is standardized with the mean and standard deviation of the "
    + "training span (scale: true)")
@Example("path: seattle-weather.csv, columns: [temp_max, precipitation], target: temp_max, lookback: 14")
public final class Timeseries implements DataSource {
  public record Params(
      @Doc("the CSV file, with a header row; one row per time step, oldest first") Path path,
      @Doc("the input columns, by header name") List<String> columns,
      @Doc("the column to predict (it may also be an input)") String target,
      @Doc("rows per window: the steps the model sees") @Min(1) int lookback,
      @Doc("how many rows after a window's last one its target is taken from: 1 is the next step") @Default("1") @Min(1) int horizon,
      @Doc("standardize each input column with the training span's mean and standard deviation") @Default("true") boolean scale,
      @Doc("the field delimiter, one character") @Default("','") String delimiter) {
    public Params {
      if (columns.isEmpty()) throw new IllegalArgumentException("columns needs at least one input column");
      if (delimiter.length() != 1) throw new IllegalArgumentException("delimiter must be one character, got '" + delimiter + "'");
    }
  }

  private final Params p;

  @Inject
  public Timeseries(Params params) {
    this.p = params;
  }

  @Override
  public boolean ordered() {
    return true;
  }

  @Override
  public List<Path> files() {
    return List.of(p.path());
  }

  @Override
  public List<Transform> preprocessing() {
    return p.scale() ? List.of(new SeriesScaling()) : List.of();
  }

  @Override
  public Dataset load() {
    Path file = p.path();
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(p.delimiter().charAt(0)).setHeader().setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
    try (Reader reader = new BoundedLines(Files.newBufferedReader(file), file); CSVParser parser = format.parse(reader)) {
      List<String> header = parser.getHeaderNames();
      int[] inputs = new int[p.columns().size()];
      for (int j = 0; j < inputs.length; j++) inputs[j] = column(header, p.columns().get(j), "columns[" + j + "]");
      int target = column(header, p.target(), "target");
      List<float[]> rows = new ArrayList<>();
      List<Float> targets = new ArrayList<>();
      for (CSVRecord record : parser) {
        long line = record.getRecordNumber() + 1;
        float[] row = new float[inputs.length];
        for (int j = 0; j < inputs.length; j++) row[j] = number(record, inputs[j], header, line);
        rows.add(row);
        targets.add(number(record, target, header, line));
      }
      int steps = rows.size();
      int windows = steps - p.lookback() - p.horizon() + 1;
      if (windows < 1) {
        throw new NeuriteException(file + ": " + steps + " rows give no window of lookback " + p.lookback() + " and horizon "
            + p.horizon() + "; it needs at least " + (p.lookback() + p.horizon()) + " rows");
      }
      int c = inputs.length;
      float[] x = new float[windows * p.lookback() * c];
      float[] y = new float[windows];
      for (int w = 0; w < windows; w++) {
        for (int t = 0; t < p.lookback(); t++) System.arraycopy(rows.get(w + t), 0, x, (w * p.lookback() + t) * c, c);
        y[w] = targets.get(w + p.lookback() - 1 + p.horizon());
      }
      int lookback = p.lookback();
      return new Dataset.InMemory(Tensor.wrap(x, windows, lookback, c), Tensor.wrap(y, windows, 1), List.of(),
          Map.of("rows", steps, "windows", windows, "lookback", lookback, "horizon", p.horizon(), "columns", p.columns(),
              "target", p.target()))
          // window w ends at data line w + lookback + 1 (line 1 is the header); its target is horizon lines later
          .locatedBy(w -> file + " lines " + (w + 2) + "-" + (w + lookback + 1) + ", target at line " + (w + lookback + 1 + p.horizon()));
    } catch (NoSuchFileException e) {
      throw new NeuriteException(file + ": file not found");
    } catch (IOException e) {
      throw new NeuriteException(file + ": cannot read: " + Messages.brief(e), e);
    } catch (IllegalArgumentException | IllegalStateException e) { // commons-csv: duplicate header, malformed quoting
      if (e instanceof NeuriteException n) throw n;
      throw new NeuriteException(file + ": malformed CSV: " + e.getMessage(), e);
    }
  }

  private int column(List<String> header, String name, String key) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new NeuriteException(p.path() + ": " + key + ": no column '" + name + "'" + Suggestions.didYouMean(name, header)
          + "; the header has " + header);
    }
    return i;
  }

  private float number(CSVRecord record, int column, List<String> header, long line) {
    String cell = column < record.size() ? record.get(column) : "";
    try {
      if (cell.isEmpty()) throw new NumberFormatException();
      return Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new NeuriteException(p.path() + " line " + line + ", column '" + header.get(column) + "': "
          + (cell.isEmpty() ? "missing value" : "'" + cell + "' is not a number") + "; a time series needs a number at every step");
    }
  }

  /**
   * Each input column standardized with the training span's statistics: fitted on the last step of every
   * training window (each row of the span once, bar the first lookback - 1), applied to every step.
   */
  static final class SeriesScaling implements Transform, dev.neurite.spi.OnnxExportable {
    private float[] mean;
    private float[] std;

    @Override
    public void fit(Dataset train) {
      int steps = train.sampleShape().dim(0);
      int c = train.sampleShape().dim(1);
      double[] m = new double[c];
      double[] m2 = new double[c];
      float[] x = new float[steps * c];
      float[] y = new float[train.targetShape().size()];
      for (int r = 0; r < train.size(); r++) { // Welford's update, in double
        train.read(r, x, 0, y, 0);
        for (int j = 0; j < c; j++) {
          double v = x[(steps - 1) * c + j];
          double d = v - m[j];
          m[j] += d / (r + 1);
          m2[j] += d * (v - m[j]);
        }
      }
      mean = new float[c];
      std = new float[c];
      for (int j = 0; j < c; j++) {
        mean[j] = (float) m[j];
        double s = Math.sqrt(m2[j] / train.size());
        std[j] = s > 0 ? (float) s : 1f; // a constant column is centred, not divided by zero
      }
    }

    @Override
    public Dataset apply(Dataset data) {
      float[] m = mean;
      float[] s = std;
      int c = m.length;
      int values = data.sampleShape().size();
      return data.map((x, off, y, yOff) -> {
        for (int i = 0; i < values; i++) x[off + i] = (x[off + i] - m[i % c]) / s[i % c];
      });
    }

    /** Sub and Div by [columns] constants, which broadcast over the window's steps. */
    @Override
    public String toOnnx(dev.neurite.spi.OnnxGraph graph, List<String> inputs, List<dev.neurite.tensor.Shape> inputShapes) {
      return graph.node("Div", graph.node("Sub", inputs.get(0), graph.constant("mean", Tensor.wrap(mean.clone(), mean.length))),
          graph.constant("std", Tensor.wrap(std.clone(), std.length)));
    }

    @Override
    public Map<String, Tensor> state() {
      return mean == null ? Map.of() : Map.of("mean", Tensor.wrap(mean.clone(), mean.length), "std", Tensor.wrap(std.clone(), std.length));
    }

    @Override
    public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
      if (state.get("mean") == null || state.get("std") == null) throw new IllegalArgumentException("the saved state lacks mean and std");
      mean = state.get("mean").data().clone();
      std = state.get("std").data().clone();
    }
  }
}
