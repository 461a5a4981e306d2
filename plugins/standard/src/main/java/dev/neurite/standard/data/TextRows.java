package dev.neurite.standard.data;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.Suggestions;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The text source's rows: one sequence per line of text files, or per record of CSV files (the text in
 * {@code column}, a class index in {@code label}), as raw token values cut to {@code max_length} and padded
 * at the end with NaN, which the vocabulary maps to the padding index 0.
 */
final class TextRows {
  private final Text.Params p;
  private final int length;
  /** Per row: its tokens, its class index (or NaN), where it came from. */
  private final List<float[]> tokens = new ArrayList<>();
  private final List<Float> labels = new ArrayList<>();
  private final List<String> origins = new ArrayList<>();

  TextRows(Text.Params params) {
    this.p = params;
    this.length = params.maxLength().orElseThrow();
  }

  Dataset load() {
    for (int f = 0; f < p.paths().size(); f++) {
      Path file = p.paths().get(f);
      int before = tokens.size();
      String text = Text.read(file);
      if (p.column().isPresent()) records(file, text);
      else lines(file, text);
      if (p.filesAreClasses()) {
        if (tokens.size() == before) throw new NeuriteException(file + ": no sequence in this file, so its class would have no sample");
        for (int r = before; r < tokens.size(); r++) labels.set(r, (float) f);
      }
    }
    int n = tokens.size();
    if (n == 0) throw new NeuriteException(p.paths() + ": no " + (p.column().isPresent() ? "record" : "line with text") + " to read");
    boolean classes = p.label().isPresent() || p.filesAreClasses();
    float[] x = new float[n * length];
    float[] y = new float[classes ? n : n * length];
    Arrays.fill(x, Float.NaN);
    if (!classes) Arrays.fill(y, StepMask.IGNORED_TARGET);
    int truncated = 0;
    for (int r = 0; r < n; r++) {
      float[] t = tokens.get(r);
      if (classes) {
        if (t.length > length) truncated++;
        System.arraycopy(t, 0, x, r * length, Math.min(length, t.length));
        y[r] = labels.get(r);
      } else { // step i reads token i and predicts token i + 1
        int steps = Math.max(0, Math.min(length, t.length - 1));
        if (t.length - 1 > length) truncated++;
        System.arraycopy(t, 0, x, r * length, Math.min(length, t.length));
        System.arraycopy(t, 1, y, r * length, steps);
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("rows", n);
    report.put("max_length", length);
    report.put("rows_truncated", truncated);
    report.put("tokenized", p.tokens().name().toLowerCase(java.util.Locale.ROOT));
    Tensor targets = classes ? Tensor.wrap(y, n, 1) : Tensor.wrap(y, n, length);
    return new Dataset.InMemory(Tensor.wrap(x, n, length), targets, List.of(), report).locatedBy(origins::get);
  }

  /** One sequence per line with text (blank lines are skipped), or per part between separator lines (lines joined by newlines). */
  private void lines(Path file, String text) {
    String[] lines = text.split("\r?\n"); // no empty string after a final newline
    if (p.separator().isEmpty()) {
      for (int i = 0; i < lines.length; i++) {
        if (!lines[i].isBlank()) add(lines[i], file + " line " + (i + 1));
      }
      return;
    }
    StringBuilder part = new StringBuilder();
    int start = 0;
    for (int i = 0; i <= lines.length; i++) {
      if (i == lines.length || lines[i].equals(p.separator().get())) {
        if (!part.toString().isBlank()) add(part.toString(), file + " lines " + (start + 1) + "-" + i);
        part.setLength(0);
        start = i + 1;
      } else {
        if (part.length() > 0) part.append('\n');
        part.append(lines[i]);
      }
    }
  }

  private void add(String text, String origin) {
    tokens.add(Text.tokenize(text, p.tokens(), p.lowercase()));
    labels.add(Float.NaN);
    origins.add(origin);
  }

  /** One sequence per CSV record: the text column, and the label column's class index when there is one. */
  private void records(Path file, String text) {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (CSVParser parser = format.parse(new StringReader(text))) {
      List<String> header = parser.getHeaderNames();
      int textColumn = column(file, header, p.column().get());
      int labelColumn = p.label().isPresent() ? column(file, header, p.label().get()) : -1;
      for (CSVRecord record : parser) {
        String where = file + " record " + record.getRecordNumber() + " (line " + (parser.getCurrentLineNumber()) + ")";
        if (record.size() != header.size()) {
          throw new NeuriteException(where + ": expected " + header.size() + " fields as the header has, found " + record.size());
        }
        tokens.add(Text.tokenize(record.get(textColumn), p.tokens(), p.lowercase()));
        labels.add(labelColumn < 0 ? Float.NaN : label(where, record.get(labelColumn)));
        origins.add(where);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new NeuriteException(file + ": not a readable CSV file: " + Messages.brief(e), e);
    }
  }

  private static int column(Path file, List<String> header, String name) {
    int at = header.indexOf(name);
    if (at < 0) {
      throw new NeuriteException(file + ": no column '" + name + "'" + Suggestions.didYouMean(name, header) + " The header names: "
          + String.join(", ", header));
    }
    return at;
  }

  private float label(String where, String cell) {
    try {
      int k = Integer.parseInt(cell.trim());
      if (k >= 0 && k < 1 << 24) return k;
    } catch (NumberFormatException e) {
      // below
    }
    throw new NeuriteException(where + ": label '" + cell + "' in column '" + p.label().get() + "' is not a class index (a whole number 0, 1, 2, ...)");
  }
}
