package dev.neurite.report;

import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A run's per-epoch CSV ({@code metrics.csv}, {@code diagnostics.csv}) as columns of numbers; an empty cell is NaN. */
public record Table(List<String> columns, List<double[]> rows) {
  public static final Table EMPTY = new Table(List.of(), List.of());

  /** The table in {@code file}, or {@link #EMPTY} when there is no such file; a torn last line (a crash mid-write) is left out. */
  public static Table read(Path file) {
    if (!Files.isRegularFile(file)) return EMPTY;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NeuriteException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) return EMPTY;
    List<String> columns = List.of(lines.get(0).split(",", -1));
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length != columns.size()) continue;
      double[] row = new double[cells.length];
      try {
        for (int i = 0; i < cells.length; i++) row[i] = cells[i].isEmpty() ? Double.NaN : Double.parseDouble(cells[i]);
      } catch (NumberFormatException e) {
        continue;
      }
      rows.add(row);
    }
    return new Table(columns, List.copyOf(rows));
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public boolean has(String column) {
    return columns.contains(column);
  }

  /** A column's values, one per row. */
  public double[] column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("no column " + name + " in " + columns);
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }

  /** The epochs (the {@code epoch} column, or 1, 2, ... when there is none). */
  public double[] epochs() {
    if (has("epoch")) return column("epoch");
    double[] e = new double[rows.size()];
    Arrays.setAll(e, i -> i + 1);
    return e;
  }

  /** The columns named {@code KIND:NAME} for one kind, in order (diagnostics). */
  public List<String> ofKind(String kind) {
    return columns.stream().filter(c -> c.startsWith(kind + ":")).toList();
  }
}
