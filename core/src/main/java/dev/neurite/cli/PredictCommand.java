package dev.neurite.cli;

import com.google.gson.JsonParser;
import dev.neurite.engine.Engine;
import dev.neurite.inference.Prediction;
import dev.neurite.inference.PredictionColumns;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Loss;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", description = "Run a finished run's model on INPUT, new data in the format of the run's source (a CSV with "
    + "the feature columns the run trained on, where a label column is ignored; an IDX images file; a .npy features array), applying "
    + "the run's saved preprocessing. Writes a CSV: the predicted class and class probabilities, or the predicted values.")
final class PredictCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a completed run directory whose data source was csv, idx, npy or text rows (max_length)")
  Path run;

  @Parameters(index = "1", paramLabel = "INPUT", description = "new data in the run's source format: a CSV file with a header naming "
      + "the feature columns (a label column is ignored), an IDX images file, a .npy features array, or text (lines, parts "
      + "between separator lines, or a CSV file with the text column)")
  Path input;

  @Option(names = "--out", paramLabel = "FILE", description = "write the predictions here (default: standard output)")
  Path output;

  @Mixin
  EngineOption engine;

  @Override
  public Integer call() throws IOException {
    if (engine.given()) return onEngine();
    if (!Files.isRegularFile(input)) throw new NeuriteException(input + ": file not found");
    Object type = sourceType();
    String file = quote(input.toAbsolutePath().toString());
    List<String> overrides = new ArrayList<>(List.of("data.split={train: 1.0}", "data.validation=null", "data.test=null"));
    switch (String.valueOf(type)) {
      case "csv" -> {
        overrides.addAll(List.of("data.source.path=" + file, "data.source.label=''"));
        // the feature columns as the run recorded them, so a label column in INPUT is not taken for a feature
        List<String> features = recordedFeatures();
        if (!features.isEmpty()) overrides.add("data.source.features=" + yamlList(features));
      }
      case "idx" -> overrides.addAll(List.of("data.source.images=" + file, "data.source.labels=null", "data.source.limit=0"));
      case "npy" -> overrides.addAll(List.of("data.source.features=" + file, "data.source.labels=null"));
      case "text" -> {
        if (sourceKey("max_length") == null) {
          throw new NeuriteException(run + " is a language model over windows of text; predict reads one sequence per row "
              + "(a text source with max_length). Continue a text with: ./neurite generate " + run + " --prompt TEXT");
        }
        // a classifier's rows keep targets of one class index (all 0: INPUT has no labels), as the model was built for
        boolean classes = sourceKey("label") != null || Boolean.TRUE.equals(sourceKey("files_are_classes"));
        overrides.addAll(List.of("data.source.paths=[" + file + "]", "data.source.label=null", "data.source.files_are_classes=" + classes));
      }
      default -> throw new NeuriteException(run + " was trained from a '" + type + "' source; predict reads csv, idx, npy and text input. "
          + "Measure other data with: ./neurite evaluate " + run + " --set 'data.test={...}' --set 'data.split={train: 1.0}'");
    }
    SavedRun saved = SavedRun.open(registry(), run, overrides);
    Dataset data = saved.experiment().preprocess(saved.experiment().source()); // INPUT's rows, in file order
    Loss.Reading reading = saved.experiment().spec().loss().reading();
    if (saved.experiment().outputShape().rank() > 1) {
      throw new NeuriteException(run + "'s model gives " + saved.experiment().outputShape() + " per sample (a value per step); predict "
          + "writes one row of scores or values per sample. Measure it with: ./neurite evaluate " + run);
    }
    int width = saved.experiment().outputShape().size();
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    w.println(header(reading, width));
    float[] row = new float[width];
    new Trainer(saved.experiment()).outputs(data, out -> {
      for (int r = 0; r < out.rows(); r++) {
        System.arraycopy(out.data(), r * width, row, 0, width);
        w.println(line(reading, row));
      }
    });
    w.flush();
    if (output == null) {
      out().print(text);
      out().flush();
    } else {
      AtomicFiles.write(output, text.toString().getBytes(StandardCharsets.UTF_8));
      err().println("wrote " + data.size() + " predictions to " + output);
    }
    return 0;
  }

  /** A table scored by the engine's tasks, partition by partition, into a Parquet or CSV output. */
  private Integer onEngine() {
    if (output == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "predict --engine writes a table: give it --out (a Parquet "
          + "directory, or a name ending in .csv for CSV)");
    }
    try (Engine.Session session = engine.start(plugins, 1)) {
      long rows = session.predict(run, input.toString(), output.toString());
      err().println("wrote " + rows + " predictions to " + output + " (engine: " + session.description() + ")");
    }
    return 0;
  }

  private Object sourceType() throws IOException {
    Object source = source();
    return source instanceof Map<?, ?> s ? s.get("type") : source;
  }

  /** A key of the run's data source, or null. */
  private Object sourceKey(String key) throws IOException {
    return source() instanceof Map<?, ?> s ? s.get(key) : null;
  }

  private Object source() throws IOException {
    Path config = run.resolve(RunDirectory.CONFIG);
    if (!Files.isRegularFile(config)) throw new NeuriteException(run + " is not a run directory: it has no " + RunDirectory.CONFIG);
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(config));
    return tree instanceof Map<?, ?> m && m.get("data") instanceof Map<?, ?> d ? d.get("source") : null;
  }

  private List<String> recordedFeatures() throws IOException {
    Path summary = run.resolve(RunDirectory.SUMMARY);
    List<String> out = new ArrayList<>();
    if (!Files.isRegularFile(summary)) return out;
    var json = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
    if (json.get("feature_names") != null && json.get("feature_names").isJsonArray()) {
      json.getAsJsonArray("feature_names").forEach(e -> out.add(e.getAsString()));
    }
    return out;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String yamlList(List<String> items) {
    return "[" + String.join(", ", items.stream().map(PredictCommand::quote).toList()) + "]";
  }

  static String header(Loss.Reading reading, int width) {
    return String.join(",", PredictionColumns.names(reading, width));
  }

  /** One output row read as the loss defines it ({@link Prediction#of}): the class and probabilities, the class and scores, or the values. */
  static String line(Loss.Reading reading, float[] out) {
    Prediction p = Prediction.of(reading, out);
    StringBuilder b = new StringBuilder();
    if (PredictionColumns.hasClass(reading, out.length)) b.append(p.label()).append(',');
    float[] values = PredictionColumns.values(reading, p);
    for (int j = 0; j < values.length; j++) {
      if (j > 0) b.append(',');
      b.append(values[j]);
    }
    return b.toString();
  }
}
