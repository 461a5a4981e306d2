package dev.neurite.cli;

import com.google.gson.GsonBuilder;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", description = "Measure a finished run's model on a split of its data, or on other data given with --set "
    + "(e.g. --set 'data.test={type: csv, path: new.csv, label: y}' --set 'data.split={train: 1.0}'), with the run's saved preprocessing.")
final class EvaluateCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a completed run directory")
  Path run;

  @Option(names = "--split", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the run's config, e.g. the test source (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--data", paramLabel = "SOURCE", description = "evaluate this data source instead, in YAML: "
      + "'{type: csv, path: new.csv, label: y}' (short for --set data.test=SOURCE --set 'data.split={train: 1.0}' --split test)")
  String data;

  @Option(names = "--out", paramLabel = "FILE", description = "also write the metrics (and details such as the confusion matrix) "
      + "to this JSON file")
  Path json;

  @Override
  public Integer call() {
    var out = out();
    List<String> all = new ArrayList<>(overrides);
    if (data != null) {
      all.add("data.test=" + data);
      all.add("data.split={train: 1.0}");
      all.add("data.validation=null");
      split = "test";
    }
    SavedRun saved = SavedRun.open(registry(), run, all);
    var splits = saved.experiment().splits();
    Dataset data = switch (split) {
      case "train" -> splits.train();
      case "validation" -> splits.validation();
      case "test" -> splits.test();
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--split must be train, validation or test, got '" + split + "'");
    };
    if (data == null) {
      throw new NeuriteException(run + " has no " + split + " split; evaluate other data with --set 'data." + split
          + "={type: csv, path: FILE, label: COLUMN}' --set 'data.split={train: 1.0}'");
    }
    if (saved.experiment().spec().metrics().isEmpty()) {
      throw new NeuriteException("the run's config lists no metrics; add some with --set 'metrics=[loss, accuracy]'");
    }
    Trainer.Evaluation evaluation = new Trainer(saved.experiment()).evaluateWithDetails(data);
    Map<String, Double> scalars = new LinkedHashMap<>(evaluation.metrics());
    Map<String, long[][]> matrices = new LinkedHashMap<>();
    evaluation.details().forEach((name, d) -> {
      long[][] m = matrix(d);
      if (m != null) {
        matrices.put(name, m);
        scalars.remove(name); // its value is only the diagonal's share, the accuracy: the table says more
      }
    });
    out.println(split + " (" + data.size() + " rows): " + ConsoleReporter.format(scalars));
    matrices.forEach((name, m) -> {
      out.println(name + " (rows: actual class, columns: predicted class):");
      out.print(table(m));
    });
    out.flush();
    if (json != null) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("run", run.toAbsolutePath().normalize().toString());
      content.put("split", split);
      if (!all.isEmpty()) content.put("overrides", all);
      content.put("rows", data.size());
      content.put("metrics", evaluation.metrics());
      content.putAll(evaluation.details());
      try {
        AtomicFiles.write(json, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .create().toJson(content) + "\n");
      } catch (IOException e) {
        throw new NeuriteException("cannot write " + json + ": " + Messages.brief(e));
      }
      err().println("metrics written to " + json);
      err().flush();
    }
    return 0;
  }

  /** A metric's detail as a square matrix of counts, or null when it is something else. */
  private static long[][] matrix(Object detail) {
    if (!(detail instanceof List<?> rows) || rows.isEmpty()) return null;
    long[][] m = new long[rows.size()][];
    for (int r = 0; r < m.length; r++) {
      if (!(rows.get(r) instanceof List<?> row) || row.size() != m.length) return null;
      m[r] = new long[m.length];
      for (int c = 0; c < m.length; c++) {
        if (!(row.get(c) instanceof Number n)) return null;
        m[r][c] = n.longValue();
      }
    }
    return m;
  }

  /** The matrix with class indices along both edges, right-aligned columns. */
  static String table(long[][] m) {
    int width = Integer.toString(m.length - 1).length();
    for (long[] row : m) {
      for (long v : row) width = Math.max(width, Long.toString(v).length());
    }
    String first = "%" + Math.max("actual".length(), Integer.toString(m.length - 1).length()) + "s";
    String cell = "%" + (width + 2) + "s";
    StringBuilder b = new StringBuilder(String.format(first, "actual"));
    for (int c = 0; c < m.length; c++) b.append(String.format(cell, c));
    b.append('\n');
    for (int r = 0; r < m.length; r++) {
      b.append(String.format(first, r));
      for (long v : m[r]) b.append(String.format(cell, v));
      b.append('\n');
    }
    return b.toString();
  }
}
