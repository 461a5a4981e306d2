package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.NeuriteException;
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
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

@Doc("A CSV file with a header row: numeric feature columns and one numeric label column (a class index or a value)")
public final class Csv implements DataSource {
  public record Params(
      @Doc("the file; relative paths are relative to the config file") Path path,
      @Doc("name of the label column") String label,
      @Doc("names of the feature columns; empty means every column but the label") @Default("[]") List<String> features,
      @Doc("field separator, one character") @Default("','") String delimiter) {
    public Params {
      if (delimiter.length() != 1) throw new IllegalArgumentException("delimiter must be one character, got '" + delimiter + "'");
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
  public Dataset load() {
    Path file = params.path();
    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(params.delimiter().charAt(0))
        .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).get();
    try (Reader reader = Files.newBufferedReader(file); CSVParser parser = format.parse(reader)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty()) throw new NeuriteException(file + ": the file is empty; expected a header row");
      int labelColumn = column(header, params.label(), "label");
      int[] featureColumns = params.features().isEmpty()
          ? java.util.stream.IntStream.range(0, header.size()).filter(i -> i != labelColumn).toArray()
          : params.features().stream().mapToInt(f -> column(header, f, "features")).toArray();
      if (featureColumns.length == 0) throw new NeuriteException(file + ": no feature columns besides the label '" + params.label() + "'");

      float[] x = new float[1024 * featureColumns.length];
      float[] y = new float[1024];
      int rows = 0;
      for (CSVRecord record : parser) {
        long line = record.getRecordNumber() + 1; // the header is line 1
        if (record.size() != header.size()) {
          throw new NeuriteException(file + ":" + line + ": expected " + header.size() + " fields as in the header, found " + record.size());
        }
        if (rows == y.length) {
          y = Arrays.copyOf(y, rows * 2);
          x = Arrays.copyOf(x, rows * 2 * featureColumns.length);
        }
        for (int j = 0; j < featureColumns.length; j++) {
          x[rows * featureColumns.length + j] = number(record, featureColumns[j], header, line);
        }
        y[rows] = number(record, labelColumn, header, line);
        rows++;
      }
      if (rows == 0) throw new NeuriteException(file + ": the file has a header but no data rows");
      List<String> names = Arrays.stream(featureColumns).mapToObj(header::get).toList();
      return new Dataset(Tensor.wrap(Arrays.copyOf(x, rows * featureColumns.length), rows, featureColumns.length),
          Tensor.wrap(Arrays.copyOf(y, rows), rows, 1), names);
    } catch (NoSuchFileException e) {
      throw new NeuriteException(file + ": file not found");
    } catch (IOException | UncheckedIOException e) {
      throw new NeuriteException(file + ": cannot read: " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException e) { // commons-csv: duplicate header, malformed quoting
      throw new NeuriteException(file + ": malformed CSV: " + e.getMessage(), e);
    }
  }

  private int column(List<String> header, String name, String key) {
    int i = header.indexOf(name);
    if (i < 0) {
      String suggestion = dev.neurite.spi.Suggestions.didYouMean(name, header);
      throw new NeuriteException(params.path() + ": " + key + ": no column named '" + name + "'" + suggestion
          + " The header has: " + abbreviate(header));
    }
    return i;
  }

  private static String abbreviate(List<String> header) {
    return header.size() <= 12 ? String.join(", ", header)
        : String.join(", ", header.subList(0, 10)) + ", ... (" + header.size() + " columns)";
  }

  private float number(CSVRecord record, int column, List<String> header, long line) {
    String cell = record.get(column);
    try {
      float v = Float.parseFloat(cell);
      if (Float.isFinite(v)) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new NeuriteException(params.path() + ":" + line + ": column '" + header.get(column) + "' (field " + (column + 1)
        + "): '" + cell + "' is not a finite number");
  }
}
