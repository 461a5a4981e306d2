package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Suggestions;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

@Example("path: data/iris.csv, label: species")
@Doc("A CSV file (parsed by Apache Commons CSV): numeric feature columns, categorical columns one-hot encoded "
    + "with the levels of the training split, and one numeric label column (a class index or a value)")
public final class Csv implements DataSource {
  /** What to do with a missing cell. */
  public enum Missing { ERROR, DROP, MEAN, CONSTANT }

  /** What to do with a category the training split never had. */
  public enum Unknown { ERROR, BUCKET }

  public record Params(
      @Doc("the file; relative paths are relative to the config file") Path path,
      @Doc("the label column: its name, or its index counted from 0; empty for a file without labels (targets are 0), as predict reads") String label,
      @Doc("feature columns by name or index from 0; empty means every column but the label") @Default("[]") List<String> features,
      @Doc("feature columns holding categories (text), one-hot encoded with the training split's levels") @Default("[]") List<String> categorical,
      @Doc("a category absent from the training split: error, or bucket (an extra 'unknown' column)") @Default("error") Unknown unknown,
      @Doc("a missing cell: error, drop the row, mean (the training split's mean of the column) or constant (fill_value); "
          + "a missing label is always an error unless rows are dropped; counts go into the run summary") @Default("error") Missing missing,
      @Doc("the value for missing: constant") @Default("0") double fillValue,
      @Doc("cells that count as missing") @Default("['', NA, N/A, NaN, 'null']") List<String> missingValues,
      @Doc("whether the first row names the columns") @Default("true") boolean header,
      @Doc("field separator, one character") @Default("','") String delimiter,
      @Doc("quote character, one character") @Default("'\"'") String quote,
      @Doc("read the file in one pass into a memory-mapped cache (.npy files under $NEURITE_CACHE, default ~/.cache/neurite) "
          + "instead of the heap, for files larger than memory; the cache is reused while the file is unchanged") @Default("false") boolean stream) {
    public Params {
      if (delimiter.length() != 1) throw new IllegalArgumentException("delimiter must be one character, got '" + delimiter + "'");
      if (quote.length() != 1) throw new IllegalArgumentException("quote must be one character, got '" + quote + "'");
      if (quote.equals(delimiter)) throw new IllegalArgumentException("quote and delimiter must differ, both are '" + quote + "'");
    }

    /** The common case: a header row, comma-separated, every cell required. */
    public Params(Path path, String label, List<String> features) {
      this(path, label, features, List.of(), Unknown.ERROR, Missing.ERROR, 0, List.of("", "NA", "N/A", "NaN", "null"),
          true, ",", "\"", false);
    }
  }

  private final Params params;

  @Inject
  public Csv(Params params) {
    this.params = params;
  }

  @Override
  public List<Path> files() {
    return List.of(params.path());
  }

  @Override
  public List<Transform> preprocessing() {
    List<Transform> pre = new ArrayList<>();
    if (params.missing() == Missing.MEAN) pre.add(new FillMissing());
    if (!params.categorical().isEmpty()) pre.add(new OneHotColumns(params.unknown() == Unknown.BUCKET));
    return pre;
  }

  @Override
  public Dataset load() {
    if (!params.stream()) return read(new MemorySink());
    return CsvCache.load(params, this::read);
  }

  /** Parses the file once, handing every accepted row to {@code sink}. */
  Dataset read(Sink sink) {
    Path file = params.path();
    CSVFormat.Builder builder = CSVFormat.DEFAULT.builder().setDelimiter(params.delimiter().charAt(0))
        .setQuote(params.quote().charAt(0)).setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true);
    if (params.header()) builder.setHeader().setSkipHeaderRecord(true);
    try (Reader reader = new BoundedLines(Files.newBufferedReader(file), file); CSVParser parser = builder.get().parse(reader)) {
      var records = parser.iterator();
      List<String> header;
      CSVRecord first = null;
      if (params.header()) {
        header = parser.getHeaderNames();
        if (header.isEmpty()) throw new NeuriteException(file + ": the file is empty; expected a header row");
      } else {
        if (!records.hasNext()) throw new NeuriteException(file + ": the file is empty");
        first = records.next();
        header = IntStream.range(0, first.size()).mapToObj(Integer::toString).toList();
      }
      Columns cols = new Columns(header);
      Reading r = new Reading(cols, header.size(), sink);
      if (first != null) r.add(first, 1);
      while (records.hasNext()) {
        CSVRecord record = records.next();
        r.add(record, record.getRecordNumber() + (params.header() ? 1 : 0));
      }
      if (r.rows == 0) {
        throw new NeuriteException(file + (r.dropped > 0 ? ": every row had a missing cell and was dropped (" + r.dropped + " rows)"
            : params.header() ? ": the file has a header but no data rows" : ": the file has no rows"));
      }
      CsvLines lines = new CsvLines(file, params.header() ? 2 : 1, r.droppedRecords.stream().mapToInt(Integer::intValue).toArray());
      return sink.finish(r.names(), r.categories(), r.report(), lines).locatedBy(lines::origin);
    } catch (NoSuchFileException e) {
      throw new NeuriteException(file + ": file not found");
    } catch (IOException | UncheckedIOException e) {
      IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      throw new NeuriteException(io.getMessage() != null && io.getMessage().startsWith(file + ": ") ? io.getMessage()
          : file + ": cannot read: " + Messages.brief(io), e);
    } catch (IllegalArgumentException | IllegalStateException e) { // commons-csv: duplicate header, malformed quoting
      throw new NeuriteException(file + ": malformed CSV: " + e.getMessage(), e);
    }
  }

  /** A plain decimal number, as other CSV readers take it: no hexadecimal floats, no Java type suffixes. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** The chosen columns, resolved against the header. */
  private final class Columns {
    final List<String> header;
    final int label;
    final int[] features;
    final boolean[] categorical; // per feature

    Columns(List<String> header) {
      this.header = header;
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        Integer first = seen.putIfAbsent(header.get(i), i);
        if (first != null && !header.get(i).isEmpty()) {
          throw new NeuriteException(params.path() + ":1: the header names column '" + Messages.echo(header.get(i)) + "' twice (fields "
              + (first + 1) + " and " + (i + 1) + "); column names must be unique");
        }
      }
      this.label = params.label().isEmpty() ? -1 : column(header, params.label(), "label");
      this.features = params.features().isEmpty()
          ? IntStream.range(0, header.size()).filter(i -> i != label).toArray()
          : params.features().stream().mapToInt(f -> column(header, f, "features")).toArray();
      if (label >= 0 && Arrays.stream(features).anyMatch(f -> f == label)) {
        throw new NeuriteException(params.path() + ": features: '" + Messages.echo(header.get(label)) + "' is the label column; "
            + "a label cannot also be a feature");
      }
      if (features.length == 0) throw new NeuriteException(params.path() + ": no feature columns besides the label '" + params.label() + "'");
      this.categorical = new boolean[features.length];
      for (String c : params.categorical()) {
        int col = column(header, c, "categorical");
        int f = IntStream.range(0, features.length).filter(i -> features[i] == col).findFirst()
            .orElseThrow(() -> new NeuriteException(params.path() + ": categorical: column '" + c + "' is not one of the features"));
        categorical[f] = true;
      }
    }
  }

  /** Where parsed rows go: arrays on the heap, or a file (see {@link CsvCache}). */
  interface Sink {
    void row(float[] x, float y) throws IOException;

    Dataset finish(List<String> names, Map<Integer, List<String>> categories, Map<String, Object> report, CsvLines lines) throws IOException;
  }

  /** Rows in growing arrays. */
  private static final class MemorySink implements Sink {
    private float[] x = new float[0];
    private float[] y = new float[1024];
    private int rows;
    private int w = -1;

    @Override
    public void row(float[] features, float label) {
      if (w < 0) {
        w = features.length;
        x = new float[1024 * w];
      }
      if (rows == y.length) {
        y = Arrays.copyOf(y, rows * 2);
        x = Arrays.copyOf(x, rows * 2 * w);
      }
      System.arraycopy(features, 0, x, rows * w, w);
      y[rows++] = label;
    }

    @Override
    public Dataset finish(List<String> names, Map<Integer, List<String>> categories, Map<String, Object> report, CsvLines lines) {
      return new Dataset.InMemory(Tensor.wrap(Arrays.copyOf(x, rows * w), rows, w), Tensor.wrap(Arrays.copyOf(y, rows), rows, 1),
          names, report, categories);
    }
  }

  /** Rows as they are read: numbers, or category codes for categorical columns (NaN for a missing cell). */
  private final class Reading {
    final Columns cols;
    final int fields;
    final int w;
    final Sink sink;
    final List<Map<String, Integer>> codes = new ArrayList<>();
    final float[] x;
    int rows;
    int dropped;
    final List<Integer> droppedRecords = new ArrayList<>(); // indexes among the data records
    int records;
    int missingCells;

    Reading(Columns cols, int fields, Sink sink) {
      this.cols = cols;
      this.fields = fields;
      this.w = cols.features.length;
      this.sink = sink;
      this.x = new float[w];
      for (int j = 0; j < w; j++) codes.add(cols.categorical[j] ? new LinkedHashMap<>() : null);
    }

    void add(CSVRecord record, long line) throws IOException {
      int index = records++;
      if (record.size() != fields) {
        throw new NeuriteException(params.path() + ":" + line + ": expected " + fields + " fields"
            + (params.header() ? " as in the header" : " as in the first row") + ", found " + record.size());
      }
      int missingHere = 0;
      for (int j = 0; j < w; j++) {
        int col = cols.features[j];
        String cell = record.get(col);
        float v;
        if (params.missingValues().contains(cell)) {
          if (params.missing() == Missing.ERROR) throw missing(line, col, cell);
          missingHere++;
          v = params.missing() == Missing.CONSTANT && !cols.categorical[j] ? (float) params.fillValue() : Float.NaN;
        } else if (cols.categorical[j]) {
          Map<String, Integer> levels = codes.get(j);
          v = levels.computeIfAbsent(cell, k -> levels.size());
        } else {
          v = number(cell, col, line);
        }
        x[j] = v;
      }
      String labelCell = cols.label < 0 ? "0" : record.get(cols.label);
      if (params.missingValues().contains(labelCell)) {
        if (params.missing() != Missing.DROP) {
          throw new NeuriteException(params.path() + ":" + line + ": column '" + cols.header.get(cols.label) + "' (field "
              + (cols.label + 1) + "): the label is missing ('" + Messages.echo(labelCell) + "'); a label cannot be filled, only dropped (missing: drop)");
        }
        missingHere++;
      }
      if (missingHere > 0 && params.missing() == Missing.DROP) {
        dropped++;
        droppedRecords.add(index);
        return;
      }
      if (missingHere > 0) missingCells += missingHere;
      sink.row(x, number(labelCell, cols.label, line));
      rows++;
    }

    NeuriteException missing(long line, int col, String cell) {
      return new NeuriteException(params.path() + ":" + line + ": column '" + cols.header.get(col) + "' (field " + (col + 1)
          + "): missing value '" + Messages.echo(cell) + "'; set missing: drop, mean or constant to accept missing cells");
    }

    float number(String cell, int col, long line) {
      try {
        if (!DECIMAL.matcher(cell).matches()) throw new NumberFormatException(); // Java would also read 0x1p3, 1f, 1d
        float v = Float.parseFloat(cell);
        if (Float.isFinite(v)) return v;
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new NeuriteException(params.path() + ":" + line + ": column '" + cols.header.get(col) + "' (field " + (col + 1)
          + "): '" + Messages.echo(cell) + "' is not a finite number" + (cols.label == col ? "" : "; list the column under categorical if it holds categories"));
    }

    List<String> names() {
      return Arrays.stream(cols.features).mapToObj(cols.header::get).toList();
    }

    Map<Integer, List<String>> categories() {
      Map<Integer, List<String>> categories = new HashMap<>();
      for (int j = 0; j < w; j++) if (codes.get(j) != null) categories.put(j, List.copyOf(codes.get(j).keySet()));
      return categories;
    }

    Map<String, Object> report() {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("file", params.path().toString());
      report.put("rows", rows);
      if (params.missing() == Missing.DROP) report.put("rows_dropped", dropped);
      if (params.missing() == Missing.MEAN || params.missing() == Missing.CONSTANT) report.put("cells_filled", missingCells);
      return report;
    }
  }

  private int column(List<String> header, String name, String key) {
    int i = header.indexOf(name);
    if (i >= 0) return i;
    if (name.matches("\\d+")) {
      int index = Integer.parseInt(name);
      if (index < header.size()) return index;
      throw new NeuriteException(params.path() + ": " + key + ": column index " + index + " is out of range; the file has "
          + header.size() + " columns (0 to " + (header.size() - 1) + ")");
    }
    throw new NeuriteException(params.path() + ": " + key + ": no column named '" + name + "'" + Suggestions.didYouMean(name, header)
        + (params.header() ? " The header has: " + abbreviate(header) : " The file has no header (header: false): give columns by index from 0"));
  }

  private static String abbreviate(List<String> header) {
    return header.size() <= 12 ? String.join(", ", header)
        : String.join(", ", header.subList(0, 10)) + ", ... (" + header.size() + " columns)";
  }
}
