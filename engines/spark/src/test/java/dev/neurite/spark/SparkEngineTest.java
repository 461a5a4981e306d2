package dev.neurite.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.cli.Main;
import dev.neurite.run.Hashes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark engine on local[2]: a sweep whose trials run as Spark tasks (one of them failing once and
 * retried) gives each trial the weights of the same trial run in this JVM, an interrupted sweep continues,
 * and a run's predictions over a table equal {@code ./neurite predict}'s, all through the command line.
 */
class SparkEngineTest {
  static final Path CONFIGS = Path.of("../../configs").toAbsolutePath().normalize();
  /** Two Spark task slots; a failed task is tried twice in all. */
  static final String MASTER = "local[2,2]";

  @TempDir
  static Path dir;
  static Path sweepConfig;
  static List<String> common;

  @BeforeAll
  static void sweepFile() throws IOException {
    sweepConfig = dir.resolve("sweep.yaml");
    Files.writeString(sweepConfig, """
        sweep:
          method: grid
          metric: test.accuracy
          parameters:
            - {path: optimizer.lr, values: [0.02, 0.1]}
            - {path: 'model.layers[0].units', values: [16, 32]}
        """);
    common = List.of("--set", "training.epochs=3", "--set",
        "callbacks=[{type: 'test:fail_once', marker: '" + dir.resolve("failed-once") + "', after_epoch: 2}]");
  }

  static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("exit code of %s; stderr: %s; stdout: %s", String.join(" ", args), err, out).isZero();
    return out + err.toString();
  }

  static String[] sweep(Path out, String... engine) {
    List<String> args = new ArrayList<>(List.of("sweep", CONFIGS.resolve("digits-mlp.yaml").toString(), sweepConfig.toString(),
        "--out", out.toString(), "--quiet"));
    args.addAll(common);
    args.addAll(List.of(engine));
    return args.toArray(String[]::new);
  }

  @Test
  void sweepOnSparkEqualsTheLocalSweepTrialByTrialAndSurvivesAFailedTask() throws IOException {
    Path onSpark = dir.resolve("spark-sweep");
    String console = run(sweep(onSpark, "--engine", "spark", "--master", MASTER));
    assertThat(Files.exists(dir.resolve("failed-once"))).as("one trial's task failed once").isTrue();
    assertThat(console).contains("engine: {name=spark, master=" + MASTER).contains("ranked (");

    Path local = dir.resolve("local-sweep");
    run(sweep(local)); // the marker exists now: nothing fails
    for (int t = 1; t <= 4; t++) {
      String trial = String.format("trial-%03d", t);
      assertThat(Hashes.sha256(onSpark.resolve(trial).resolve("weights.safetensors")))
          .as(trial).isEqualTo(Hashes.sha256(local.resolve(trial).resolve("weights.safetensors")));
      JsonObject manifest = JsonParser.parseString(Files.readString(onSpark.resolve(trial).resolve("manifest.json"))).getAsJsonObject();
      assertThat(manifest.getAsJsonObject("engine").get("name").getAsString()).isEqualTo("spark");
      assertThat(manifest.getAsJsonObject("engine").get("master").getAsString()).isEqualTo(MASTER);
    }
    assertThat(Files.readString(onSpark.resolve("sweep.csv"))).isEqualTo(Files.readString(local.resolve("sweep.csv")));
    long resumed = Stream.of(1, 2, 3, 4).filter(t -> {
      try {
        return Files.readString(onSpark.resolve(String.format("trial-%03d", t)).resolve("manifest.json")).contains("\"resumed\"");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }).count();
    assertThat(resumed).as("the failed trial was resumed from its checkpoint by Spark's retry").isEqualTo(1);

    // an interrupted sweep: trial 3 never started, trial 4 stopped before writing its weights
    Path interrupted = dir.resolve("interrupted-sweep");
    copy(local, interrupted);
    delete(interrupted.resolve("trial-003"));
    Files.delete(interrupted.resolve("trial-004").resolve("weights.safetensors"));
    Files.delete(interrupted.resolve("trial-004").resolve("summary.json"));
    String continued = run(sweep(interrupted, "--engine", "spark", "--master", MASTER));
    assertThat(continued).contains("continuing the sweep in").contains("trial 1/4: finished before, kept");
    for (int t = 1; t <= 4; t++) {
      String trial = String.format("trial-%03d", t);
      assertThat(Hashes.sha256(interrupted.resolve(trial).resolve("weights.safetensors")))
          .as(trial).isEqualTo(Hashes.sha256(local.resolve(trial).resolve("weights.safetensors")));
    }
  }

  @Test
  void predictOnSparkEqualsLocalPredict() throws IOException {
    Path trained = dir.resolve("digits-run");
    run("train", CONFIGS.resolve("digits-mlp.yaml").toString(), "--out", trained.toString(), "--set", "training.epochs=2");
    // a table with an id column, the label and the 64 pixels, 300 rows
    List<String> lines = Files.readAllLines(CONFIGS.resolve("data/digits.csv")).subList(0, 301);
    List<String> table = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) table.add((i == 0 ? "id" : Integer.toString(i - 1)) + "," + lines.get(i));
    Path input = dir.resolve("table.csv");
    Files.write(input, table);

    Path localOut = dir.resolve("local-predictions.csv");
    run("predict", trained.toString(), input.toString(), "--out", localOut.toString());
    Path sparkOut = dir.resolve("spark-predictions.csv");
    String console = run("predict", trained.toString(), input.toString(), "--out", sparkOut.toString(), "--engine", "spark", "--master", MASTER);
    assertThat(console).contains("wrote 300 predictions to " + sparkOut);

    List<String> expected = Files.readAllLines(localOut);
    List<String[]> got = new ArrayList<>();
    String header = null;
    try (Stream<Path> parts = Files.list(sparkOut)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        List<String> partLines = Files.readAllLines(part);
        header = partLines.get(0);
        partLines.subList(1, partLines.size()).forEach(l -> got.add(l.split(",", 3)));
      }
    }
    assertThat(header).isEqualTo("id,digit," + expected.get(0));
    got.sort(Comparator.comparingInt(cells -> Integer.parseInt(cells[0])));
    assertThat(got).hasSize(300);
    for (int r = 0; r < 300; r++) {
      assertThat(got.get(r)[2]).as("row %d", r).isEqualTo(expected.get(r + 1));
    }

    // the same table as Parquet (numbers typed by Spark's schema inference), scored into Parquet
    Path parquetIn = dir.resolve("table.parquet");
    SparkSession spark = localSession();
    try {
      spark.read().option("header", "true").option("inferSchema", "true").csv(input.toString()).write().parquet(parquetIn.toString());
    } finally {
      spark.stop();
    }
    Path parquetOut = dir.resolve("spark-predictions.parquet");
    run("predict", trained.toString(), parquetIn.toString(), "--out", parquetOut.toString(), "--engine", "spark", "--master", MASTER);
    spark = localSession();
    try {
      List<Row> rows = spark.read().parquet(parquetOut.toString()).orderBy("id").collectAsList();
      assertThat(rows).hasSize(300);
      assertThat(rows.get(0).schema().fieldNames()).containsExactly(("id,digit," + expected.get(0)).split(","));
      for (int r = 0; r < 300; r++) {
        String[] want = expected.get(r + 1).split(",");
        assertThat(rows.get(r).getInt(2)).as("row %d class", r).isEqualTo(Integer.parseInt(want[0]));
        for (int j = 1; j < want.length; j++) {
          assertThat(rows.get(r).getFloat(2 + j)).as("row %d p_%d", r, j - 1).isEqualTo(Float.parseFloat(want[j]));
        }
      }
    } finally {
      spark.stop();
    }
  }

  static SparkSession localSession() {
    return SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @Test
  void underSparkSubmitTheMasterIsSparkSubmits() throws Exception {
    // spark-submit's main class, as the spark-submit script runs it, with Neurite's command line as the application
    Path out = dir.resolve("submitted-sweep");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + System.getProperty("neurite.jvmargs"), "@spark.jvmargs", "-Dlog4j2.configurationFile=log4j2.properties", "-cp", classPath(),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class", "dev.neurite.cli.Main",
        Path.of("../../core/target/neurite-core.jar").toAbsolutePath().normalize().toString()));
    cmd.addAll(List.of("sweep", CONFIGS.resolve("digits-mlp.yaml").toString(), sweepConfig.toString(), "--out", out.toString(), "--quiet",
        "--set", "training.epochs=2", "--engine", "spark"));
    Path log = dir.resolve("spark-submit.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("engine: {name=spark, master=local[2]").contains("ranked (");
    JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("trial-001").resolve("manifest.json"))).getAsJsonObject();
    assertThat(manifest.getAsJsonObject("engine").get("master").getAsString()).isEqualTo("local[2]");
  }

  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }

  @Test
  void anEngineNotOnTheClassPathIsNamedWithTheOnesThatAre() {
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"sweep", CONFIGS.resolve("digits-mlp.yaml").toString(), sweepConfig.toString(), "--engine", "sprak"},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("no engine named 'sprak' is on the class path; there is spark (did you mean 'spark'?)");
  }

  @Test
  void aTableWithoutTheRunsFeatureColumnsIsRefusedBeforeAnyTaskRuns() throws IOException {
    Path trained = dir.resolve("digits-run-columns");
    run("train", CONFIGS.resolve("digits-mlp.yaml").toString(), "--out", trained.toString(), "--set", "training.epochs=1");
    Path input = dir.resolve("wrong-columns.csv");
    Files.writeString(input, "id,a,b\n0,1,2\n");
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"predict", trained.toString(), input.toString(), "--out", dir.resolve("never").toString(),
        "--engine", "spark", "--master", MASTER}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains(input + " has no column p0_0, p0_1, p0_2").contains("the run " + trained + " reads p0_0, p0_1");
    assertThat(dir.resolve("never")).doesNotExist();
  }

  @Test
  void aFailedTasksMessageIsTheTasksOwn() {
    String spark = "Job aborted due to stage failure: Task 0 in stage 3.0 failed 2 times, most recent failure: Lost task 0.1 in "
        + "stage 3.0 (TID 5) (localhost executor driver): dev.neurite.spi.NeuriteException: data/x.csv: file not found\n\tat dev...";
    assertThat(SparkRuns.taskFailure(new RuntimeException(spark))).isEqualTo("data/x.csv: file not found (NeuriteException)");
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) Files.copy(p, to.resolve(from.relativize(p).toString()));
    }
  }

  static void delete(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}
