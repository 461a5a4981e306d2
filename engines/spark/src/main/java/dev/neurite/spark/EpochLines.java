package dev.neurite.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The epochs worker 0 has written to a run's {@code metrics.csv} so far, each printed once, as "epoch 3: train_loss 0.1234 ...". */
final class EpochLines {
  private final Path metrics;
  private final Consumer<String> out;
  private int printed;

  EpochLines(Path metrics, Consumer<String> out) {
    this.metrics = metrics;
    this.out = out;
  }

  void printNew() {
    List<String> lines;
    try {
      if (!Files.isRegularFile(metrics)) return;
      lines = Files.readAllLines(metrics);
    } catch (IOException e) {
      return; // being rewritten: read again on the next call
    }
    if (lines.isEmpty()) return;
    String[] header = lines.get(0).split(",");
    if (printed == 0) printed = 1;
    for (; printed < lines.size(); printed++) {
      String[] cells = lines.get(printed).split(",");
      if (cells.length != header.length) return; // a line still being written
      StringBuilder b = new StringBuilder("epoch ").append(cells[0]).append(':');
      for (int i = 1; i < header.length; i++) {
        if (header[i].equals("seconds")) continue;
        b.append("  ").append(header[i]).append(' ').append(format(cells[i]));
      }
      out.accept(b.toString());
    }
  }

  private static String format(String cell) {
    try {
      return String.format(Locale.ROOT, "%.4f", Double.parseDouble(cell));
    } catch (NumberFormatException e) {
      return cell;
    }
  }
}
