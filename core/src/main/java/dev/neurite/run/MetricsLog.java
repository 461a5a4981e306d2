package dev.neurite.run;

import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.TrainingListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.csv} (or, for the diagnostics' rows, {@code diagnostics.csv}): a header, then one
 * row per finished epoch, appended as one write each so a crash leaves every finished epoch's row intact.
 */
public final class MetricsLog implements TrainingListener {
  private final Path file;
  private final boolean diagnostics;
  private List<String> columns;

  MetricsLog(Path file, boolean diagnostics) {
    this.file = file;
    this.diagnostics = diagnostics;
  }

  /** Appends to {@code file}, keeping its header when it has one (a resumed run); {@code diagnostics}: logs the diagnostics' rows. */
  static MetricsLog continuing(Path file, boolean diagnostics) {
    MetricsLog log = new MetricsLog(file, diagnostics);
    try {
      if (Files.isRegularFile(file)) {
        String first = Files.readAllLines(file).stream().findFirst().orElse("");
        if (!first.isEmpty()) log.columns = List.of(first.split(","));
      }
    } catch (IOException e) {
      throw new NeuriteException("cannot read " + file + ": " + Messages.brief(e), e);
    }
    return log;
  }

  @Override
  public void onEpoch(int epoch, Map<String, Double> row) {
    if (!diagnostics) append(row);
  }

  @Override
  public void onDiagnostics(int epoch, Map<String, Double> row) {
    if (diagnostics) append(row);
  }

  private void append(Map<String, Double> row) {
    StringBuilder text = new StringBuilder();
    if (columns == null) {
      columns = List.copyOf(row.keySet());
      text.append(String.join(",", columns)).append('\n');
    }
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) text.append(',');
      Double v = row.get(columns.get(i));
      if (v != null) text.append(columns.get(i).equals("epoch") ? Long.toString(v.longValue()) : Double.toString(v));
    }
    text.append('\n');
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) ch.write(buf);
    } catch (IOException e) {
      throw new NeuriteException("cannot write " + file + ": " + Messages.brief(e), e);
    }
  }
}
