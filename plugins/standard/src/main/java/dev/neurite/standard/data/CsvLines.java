package dev.neurite.standard.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * Which line of a CSV file each parsed row came from, for error messages: rows are the file's data
 * records in order, less the dropped ones, so only the dropped records' indexes are kept.
 */
final class CsvLines {
  private final Path file;
  private final long firstLine;
  private final int[] dropped; // indexes among the data records, ascending

  CsvLines(Path file, long firstLine, int[] dropped) {
    this.file = file;
    this.firstLine = firstLine;
    this.dropped = dropped;
  }

  /** {@code /data/digits.csv line 42}. */
  String origin(int row) {
    long record = row;
    for (int d : dropped) {
      if (d <= record) record++;
      else break;
    }
    return file + " line " + (firstLine + record);
  }

  void store(Properties meta) {
    meta.setProperty("lines.first", Long.toString(firstLine));
    meta.setProperty("lines.dropped", String.join(",", Arrays.stream(dropped).mapToObj(Integer::toString).toList()));
  }

  static CsvLines load(Path file, Properties meta) {
    String d = meta.getProperty("lines.dropped", "");
    int[] dropped = d.isEmpty() ? new int[0] : Arrays.stream(d.split(",")).mapToInt(Integer::parseInt).toArray();
    return new CsvLines(file, Long.parseLong(meta.getProperty("lines.first", "1")), dropped);
  }
}
