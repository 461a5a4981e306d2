package dev.neurite.spark;

import dev.neurite.engine.Engine;
import dev.neurite.inference.Prediction;
import dev.neurite.inference.PredictionColumns;
import dev.neurite.inference.Predictor;
import dev.neurite.run.RunDirectory;
import dev.neurite.spi.Loss;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code predict --engine spark}: a table's rows through a trained run, partition by partition. Each
 * executor loads the run once ({@link OnExecutor#predictor}) and scores its partitions in batches; the
 * output keeps the input's columns other than the features (an id, a label) and adds the prediction's.
 */
final class Scoring {
  /** Rows per call of the model. */
  static final int BATCH = 256;
  /** The cells the csv source reads as numbers: what {@code predict} accepts, so both read a cell the same way. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final SparkSession spark;
  private final Engine.Settings settings;

  Scoring(SparkSession spark, Engine.Settings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  long score(Path runDir, String input, String output) {
    String run = runDir.toAbsolutePath().normalize().toString();
    List<String> plugins = OnExecutor.pathStrings(settings.pluginPaths());
    Predictor model = OnExecutor.predictor(run, plugins); // on the driver too: the columns are checked before any task runs
    Map<?, ?> source = source(runDir);
    refuseCategories(runDir, source);
    List<String> missing = source.get("missing_values") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
        : List.of("", "NA", "N/A", "NaN", "null");
    // a missing cell as the csv source reads it: the fill value with missing: constant, otherwise NaN (mean fills it later)
    float fill = "constant".equals(String.valueOf(source.get("missing"))) && source.get("fill_value") instanceof Number v ? v.floatValue() : Float.NaN;
    List<String> features = model.featureNames();
    if (features.isEmpty()) {
      throw new NeuriteException(runDir + " was not trained from a csv source, so its inputs have no column names; predict --engine "
          + "spark scores tables with the feature columns the run trained on. Score it with ./neurite predict " + runDir + " INPUT");
    }
    if (model.outputShape().rank() > 1) {
      throw new NeuriteException(runDir + "'s model gives " + model.outputShape() + " per row (a value per step); predict writes one "
          + "row of scores or values per input row");
    }
    boolean csvIn = input.toLowerCase().endsWith(".csv");
    Dataset<Row> table = csvIn ? spark.read().option("header", "true").option("inferSchema", "false").csv(input) : spark.read().parquet(input);
    List<String> columns = Arrays.asList(table.columns());
    List<String> absent = features.stream().filter(f -> !columns.contains(f)).toList();
    if (!absent.isEmpty()) {
      throw new NeuriteException(input + " has no column " + String.join(", ", absent) + "; the run " + runDir + " reads "
          + String.join(", ", features) + " (its columns: " + String.join(", ", columns) + ")");
    }
    int[] featureAt = features.stream().mapToInt(columns::indexOf).toArray();
    List<Integer> kept = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      if (!features.contains(columns.get(c))) {
        kept.add(c);
        fields.add(table.schema().fields()[c]);
      }
    }
    Loss.Reading reading = model.reading();
    int width = model.outputCount();
    List<String> names = PredictionColumns.names(reading, width);
    for (String n : names) {
      if (columns.contains(n) && !features.contains(n)) {
        throw new NeuriteException(input + " already has a column '" + n + "', which the predictions would repeat; drop or rename it");
      }
      fields.add(DataTypes.createStructField(n, n.equals("class") ? DataTypes.IntegerType : DataTypes.FloatType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    JavaRDD<Row> rows = table.javaRDD().mapPartitions(new ScorePartition(run, plugins, input, featureAt, features,
        kept.stream().mapToInt(Integer::intValue).toArray(), reading, width, missing, fill));
    Dataset<Row> scored = spark.createDataFrame(rows, schema);
    var writer = scored.write().mode(SaveMode.ErrorIfExists); // never over a table already there
    if (output.toLowerCase().endsWith(".csv")) writer.option("header", "true").csv(output);
    else writer.parquet(output);
    boolean csvOut = output.toLowerCase().endsWith(".csv");
    return (csvOut ? spark.read().option("header", "true").csv(output) : spark.read().parquet(output)).count();
  }

  /** The run's data source settings, from its config.yaml. */
  private static Map<?, ?> source(Path runDir) {
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(runDir.resolve(RunDirectory.CONFIG)));
    } catch (IOException e) {
      throw new NeuriteException("cannot read " + runDir.resolve(RunDirectory.CONFIG) + ": " + e.getMessage(), e);
    }
    return tree instanceof Map<?, ?> m && m.get("data") instanceof Map<?, ?> d && d.get("source") instanceof Map<?, ?> source ? source : Map.of();
  }

  /** A run with categorical columns encodes them with its training levels, which only the csv source applies. */
  private static void refuseCategories(Path runDir, Map<?, ?> source) {
    if (source.get("categorical") instanceof List<?> categorical && !categorical.isEmpty()) {
      throw new NeuriteException(runDir + " one-hot encodes the categorical columns " + categorical + " with its training split's "
          + "levels, which predict --engine spark does not apply; score it with ./neurite predict " + runDir + " INPUT");
    }
  }

  /** One partition's rows: features parsed as the csv source parses them, the model called per {@link #BATCH} rows. */
  static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final String run;
    private final ArrayList<String> plugins;
    private final String input;
    private final int[] featureAt;
    private final ArrayList<String> features;
    private final int[] kept;
    private final Loss.Reading reading;
    private final int width;
    private final ArrayList<String> missing;
    private final float fill;

    ScorePartition(String run, List<String> plugins, String input, int[] featureAt, List<String> features, int[] kept,
                   Loss.Reading reading, int width, List<String> missing, float fill) {
      this.missing = new ArrayList<>(missing);
      this.fill = fill;
      this.run = run;
      this.plugins = new ArrayList<>(plugins);
      this.input = input;
      this.featureAt = featureAt;
      this.features = new ArrayList<>(features);
      this.kept = kept;
      this.reading = reading;
      this.width = width;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> in) {
      Predictor model = OnExecutor.predictor(run, plugins);
      // lazily, BATCH rows at a time: a partition's scored rows are never all in memory at once
      return new Iterator<>() {
        private final List<Row> scored = new ArrayList<>(BATCH);
        private int next;

        @Override
        public boolean hasNext() {
          if (next == scored.size()) {
            scoreNextBatch(in, model, scored);
            next = 0;
          }
          return next < scored.size();
        }

        @Override
        public Row next() {
          if (!hasNext()) throw new java.util.NoSuchElementException();
          return scored.get(next++);
        }
      };
    }

    /** The next (up to) BATCH rows of {@code in}, scored into {@code scored} (emptied first). */
    private void scoreNextBatch(Iterator<Row> in, Predictor model, List<Row> scored) {
      scored.clear();
      List<Row> batch = new ArrayList<>(BATCH);
      while (batch.size() < BATCH && in.hasNext()) batch.add(in.next());
      if (batch.isEmpty()) return;
      boolean classes = PredictionColumns.hasClass(reading, width);
      float[][] x = new float[batch.size()][];
      for (int r = 0; r < x.length; r++) x[r] = features(batch.get(r));
      float[] y = model.outputs(x);
      for (int r = 0; r < x.length; r++) {
        Prediction p = Prediction.of(reading, Arrays.copyOfRange(y, r * width, (r + 1) * width));
        float[] values = PredictionColumns.values(reading, p);
        Object[] cells = new Object[kept.length + (classes ? 1 : 0) + values.length];
        int c = 0;
        for (int k : kept) cells[c++] = batch.get(r).get(k);
        if (classes) cells[c++] = p.label();
        for (float v : values) cells[c++] = v;
        scored.add(RowFactory.create(cells));
      }
    }

    private float[] features(Row row) {
      float[] x = new float[featureAt.length];
      for (int j = 0; j < x.length; j++) {
        Object cell = row.get(featureAt[j]);
        if (cell == null || missing.contains(cell.toString())) {
          x[j] = fill; // missing, as the csv source reads it
        } else if (cell instanceof Number n) {
          x[j] = n.floatValue();
        } else {
          String text = cell.toString();
          if (!DECIMAL.matcher(text).matches() || !Float.isFinite(Float.parseFloat(text))) {
            throw new NeuriteException(input + ": column '" + features.get(j) + "': '" + text + "' is not a finite number");
          }
          x[j] = Float.parseFloat(text);
        }
      }
      return x;
    }
  }
}
