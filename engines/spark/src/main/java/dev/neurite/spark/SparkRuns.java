package dev.neurite.spark;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.engine.Engine;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SweepRun;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.StepExchange;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag$;

/** A Spark application that runs Neurite's work: {@link #trials()} and {@link #predict}. */
final class SparkRuns implements Engine.Session {
  private final SparkSession spark;
  private final JavaSparkContext context;
  private final Engine.Settings settings;

  SparkRuns(SparkSession spark, Engine.Settings settings) {
    this.spark = spark;
    this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.settings = settings;
  }

  @Override
  public Map<String, Object> description() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", "spark");
    d.put("master", context.master());
    d.put("application", context.sc().applicationId());
    d.put("spark_version", context.version());
    return d;
  }

  /**
   * Each trial is a Spark job of one task, submitted in trial order, so Spark runs as many at once as it has
   * task slots and starts them in order; each is reported when its task starts (a listener on Spark's
   * events) and when it ends. A task that fails is retried by Spark ({@code spark.task.maxFailures};
   * {@code local[N,F]} in local mode), and the retry resumes the trial from its newest checkpoint.
   */
  @Override
  public SweepRun.TrialRunner trials() {
    return (trials, events) -> {
      Map<Integer, SweepRun.TrialTask> byNumber = new ConcurrentHashMap<>();
      trials.forEach(t -> byNumber.put(t.number(), t));
      TrialStarts starts = new TrialStarts(byNumber, events);
      context.sc().addSparkListener(starts);
      try {
        Map<Integer, JavaFutureAction<List<TrialJob.Outcome>>> running = new LinkedHashMap<>();
        for (SweepRun.TrialTask task : trials) {
          context.setLocalProperty(TrialStarts.TRIAL, Integer.toString(task.number()));
          context.setJobDescription("neurite trial " + task.number() + ": " + String.join(" ", task.planned()));
          running.put(task.number(), context.parallelize(List.of(task.number()), 1).map(new TrialJob(task, settings, description())).collectAsync());
        }
        context.setLocalProperty(TrialStarts.TRIAL, null);
        while (!running.isEmpty()) {
          for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var job = it.next();
            if (!job.getValue().isDone()) continue;
            it.remove();
            TrialJob.Outcome o = outcome(job.getKey(), job.getValue());
            events.ended(new SweepRun.TrialResult(o.number(), o.divergence(), o.seconds()));
          }
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NeuriteException("interrupted while the trials ran on Spark", e);
      } finally {
        context.sc().removeSparkListener(starts);
      }
    };
  }

  /** A finished trial job's outcome; a failure (after Spark's retries) ends the sweep with the task's own message. */
  private static TrialJob.Outcome outcome(int trial, JavaFutureAction<List<TrialJob.Outcome>> job) throws InterruptedException {
    try {
      return job.get().get(0);
    } catch (ExecutionException e) {
      throw new NeuriteException("trial " + trial + " failed on Spark: " + taskFailure(e.getCause()), e.getCause());
    }
  }

  /**
   * What a failed task threw: Spark reports it as a SparkException whose message holds the task's exception
   * ("... most recent failure: Lost task 0.1 in stage 3.0 (TID 5) (host executor 1): CLASS: MESSAGE" and the stack).
   */
  static String taskFailure(Throwable t) {
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("\\): ([\\w.$]+(?:Exception|Error)): (.*)").matcher(m);
    return at.find() ? at.group(2) + " (" + at.group(1).substring(at.group(1).lastIndexOf('.') + 1) + ")" : m.lines().findFirst().orElse(m);
  }

  /**
   * One barrier stage of {@code workers} tasks ({@link DataParallelWorker}), gang-scheduled: Spark starts them
   * together and restarts them together. The driver prints each epoch as worker 0 writes it to the run's
   * {@code metrics.csv}.
   */
  @Override
  public void train(List<Path> configs, List<String> overrides, Path runDir, int workers, Consumer<String> progress) {
    LoadedExperiment loaded = new ExperimentLoader(OnExecutor.registry(OnExecutor.pathStrings(settings.pluginPaths())))
        .load(configs, overrides, System::getenv); // a config error is reported here, before any task starts
    int groups = loaded.spec().training().gradientGroups();
    if (!StepExchange.splits(workers, groups)) {
      throw new NeuriteException("--workers " + workers + " cannot share the " + groups + " gradient groups of " + loaded.file()
          + " (training.gradient_groups): each worker must hold a node of the groups' tree, as any power of two dividing them does; "
          + "set training.gradient_groups to a multiple of " + (workers <= 1 ? 1 : Integer.highestOneBit(workers - 1) << 1)
          + " and use that many workers or a power of two below it (the same config trained on one machine gives the same bytes)");
    }
    int total = context.sc().defaultParallelism();
    if (workers > total) {
      throw new NeuriteException("--workers " + workers + " needs " + workers + " task slots at once (a barrier stage starts all its tasks "
          + "together), but " + context.master() + " has " + total);
    }
    context.setJobDescription("neurite data-parallel training of " + loaded.spec().name() + " on " + workers + " workers");
    RDD<Integer> ranks = context.parallelize(java.util.stream.IntStream.range(0, workers).boxed().toList(), workers).rdd();
    RDD<String> ended = ranks.barrier().mapPartitions(new DataParallelWorker(configs, overrides, runDir, groups, settings, description()),
        false, ClassTag$.MODULE$.apply(String.class));
    // the shuffle after the barrier stage makes it a shuffle-map stage, which Spark restarts when a task fails
    // (spark.stage.maxConsecutiveAttempts times); a failed barrier result stage would end the job
    JavaFutureAction<List<String>> job = ended.toJavaRDD().repartition(1).collectAsync();
    EpochLines epochs = new EpochLines(runDir.resolve(RunDirectory.METRICS), progress);
    try {
      while (!job.isDone()) {
        epochs.printNew();
        Thread.sleep(200);
      }
      epochs.printNew();
      String first = job.get().stream().filter(o -> o.startsWith("0 ")).findFirst().orElseThrow().substring(2);
      if (first.startsWith("diverged: ")) throw new NeuriteException(first.substring("diverged: ".length()));
      if (first.startsWith("refused: ")) throw new NeuriteException(first.substring("refused: ".length()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeuriteException("interrupted while training on Spark; ./neurite resume " + runDir + " --engine spark continues", e);
    } catch (ExecutionException e) {
      throw new NeuriteException("data-parallel training failed on Spark: " + taskFailure(e.getCause()) + "; ./neurite resume " + runDir
          + " --engine spark continues from the last checkpoint", e.getCause());
    }
  }

  @Override
  public long predict(Path runDir, String input, String output) {
    return new Scoring(spark, settings).score(runDir, input, output);
  }

  @Override
  public void close() {
    spark.stop();
  }

}
