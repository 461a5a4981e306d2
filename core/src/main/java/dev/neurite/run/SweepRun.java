package dev.neurite.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.ConfigError;
import dev.neurite.config.ConfigException;
import dev.neurite.config.DataSpec;
import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.config.SweepSpec;
import dev.neurite.config.YamlText;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.report.Comparison;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Suggestions;
import dev.neurite.train.Experiment;
import dev.neurite.train.Numbers;
import dev.neurite.train.TrainingDivergedException;
import dev.neurite.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code ./neurite sweep}: the trials of a config's {@code sweep:} section, each an ordinary run
 * directory ({@code trial-001}, ...) inside the sweep directory, which also holds {@code sweep.json}
 * (the plan: every trial's overrides) and {@code sweep.csv} (one row per finished trial).
 *
 * <p>Started again on the same directory, a sweep checks that the plan is the same, keeps every
 * finished trial (its {@code summary.json} says completed), resumes an interrupted one from its
 * checkpoint (or starts it over when it has none) and runs the rest.
 */
public final class SweepRun {
  public static final String PLAN = "sweep.json";
  public static final String TABLE = "sweep.csv";

  /** Trial {@code number}'s run directory in the sweep directory {@code dir}: {@code trial-001}, ... */
  public static Path trialDirectory(Path dir, int number) {
    return dir.resolve(String.format(Locale.ROOT, "trial-%03d", number));
  }

  /** One trial's outcome, for the ranking. */
  public record Trial(int number, List<String> overrides, Path directory, Double metric, boolean reused) {}

  private SweepRun() {}

  /** The trials' {@code --set} overrides: the grid in order (first parameter slowest), or seeded random draws. */
  static List<List<String>> plan(SweepSpec sweep, long seed) {
    List<List<String>> trials = new ArrayList<>();
    if (sweep.method() == SweepSpec.Method.GRID) {
      grid(sweep.parameters(), 0, new ArrayList<>(), trials);
      if (sweep.trials() > 0 && trials.size() > sweep.trials()) return List.copyOf(trials.subList(0, sweep.trials()));
      return trials;
    }
    RandomStream random = RandomStream.derive(seed, "sweep");
    for (int t = 0; t < sweep.trials(); t++) {
      List<String> o = new ArrayList<>();
      for (SweepSpec.Parameter p : sweep.parameters()) {
        String value;
        if (!p.values().isEmpty()) {
          value = YamlText.flow(p.values().get(random.nextInt(p.values().size())));
        } else {
          double lo = p.min().orElseThrow();
          double hi = p.max().orElseThrow();
          double u = random.nextDouble();
          double v = p.log() ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
          value = p.integer() ? Long.toString(Math.round(v)) : Double.toString(v);
        }
        o.add(p.path() + "=" + value);
      }
      trials.add(List.copyOf(o));
    }
    return trials;
  }

  private static void grid(List<SweepSpec.Parameter> params, int i, List<String> prefix, List<List<String>> out) {
    if (i == params.size()) {
      out.add(List.copyOf(prefix));
      return;
    }
    for (var v : params.get(i).values()) {
      prefix.add(params.get(i).path() + "=" + YamlText.flow(v));
      grid(params, i + 1, prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  /**
   * Checks a sweep before any trial runs: its metric names a split the data has and one of the
   * config's metrics, and every trial's config loads. Errors point at the sweep section, in the file
   * that wrote it (a trial's {@code --set} has no position of its own); an error every trial shares is
   * reported once.
   */
  public static void check(ComponentRegistry registry, LoadedExperiment base, UnaryOperator<String> env) {
    SweepSpec sweep = base.spec().sweep().orElseThrow();
    List<ConfigError> errors = new ArrayList<>();
    String[] metric = sweep.metric().split("\\.", 2);
    DataSpec data = base.spec().data();
    boolean hasSplit = switch (metric[0]) {
      case "validation" -> data.validation().isPresent() || data.split().validation() > 0;
      case "test" -> data.test().isPresent() || data.split().test() > 0;
      default -> true;
    };
    List<String> names = Experiment.metricNames(base);
    if (!hasSplit) {
      errors.add(new ConfigError(base.positionOf("sweep.metric"), "sweep.metric", "the data has no " + metric[0]
          + " split (data.split." + metric[0] + " is 0 and there is no data." + metric[0] + " source); rank by train."
          + metric[1] + " or add the split"));
    } else if (!names.contains(metric[1])) {
      errors.add(new ConfigError(base.positionOf("sweep.metric"), "sweep.metric", "'" + metric[1] + "' is not one of the config's metrics"
          + Suggestions.didYouMean(metric[1], names) + " (metrics: " + (names.isEmpty() ? "none; list some under metrics:" : String.join(", ", names)) + ")"));
    }
    Set<String> seen = new HashSet<>();
    List<List<String>> plan = plan(sweep, base.spec().seed());
    ExperimentLoader loader = new ExperimentLoader(registry);
    for (int t = 0; t < plan.size(); t++) {
      List<String> trial = plan.get(t);
      List<String> all = new ArrayList<>(base.overrides());
      all.addAll(trial);
      all.add("sweep=null");
      try {
        loader.load(base.files(), all, env);
      } catch (ConfigException e) {
        for (ConfigError error : e.errors()) {
          int i = parameterOf(sweep, error.path());
          String where = i < 0 || error.path().equals(sweep.parameters().get(i).path()) ? "" : error.path() + ": ";
          ConfigError located = i < 0 ? error : new ConfigError(base.positionOf("sweep.parameters[" + i + "].path"),
              "sweep.parameters[" + i + "].path", trial.get(i) + " (trial " + (t + 1) + "): " + where + error.message());
          if (seen.add(i + "\n" + error.path() + "\n" + error.message())) errors.add(located);
        }
      }
    }
    if (!errors.isEmpty()) throw new ConfigException(errors);
  }

  /** The sweep parameter whose path is {@code path} or contains it (or is inside it), or -1. */
  private static int parameterOf(SweepSpec sweep, String path) {
    for (int i = 0; i < sweep.parameters().size(); i++) {
      String p = sweep.parameters().get(i).path();
      if (within(path, p) || within(p, path)) return i;
    }
    return -1;
  }

  private static boolean within(String path, String ancestor) {
    return path.equals(ancestor) || path.startsWith(ancestor + ".") || path.startsWith(ancestor + "[");
  }

  /**
   * One trial to run: its number, the overrides the plan gives it, everything a training run needs
   * (the configs and every override, the sweep's own and {@code sweep=null} included) and its run directory.
   */
  public record TrialTask(int number, List<String> planned, List<Path> configs, List<String> overrides, Path directory) {}

  /** How a trial ended: finished, or stopped by a diverging loss ({@code divergence} says how; a result of the sweep). */
  public record TrialResult(int number, String divergence, double seconds) {}

  /** Runs trials, in any order and as many at once as it likes, telling {@code events} as each starts and ends. */
  @FunctionalInterface
  public interface TrialRunner {
    void runAll(List<TrialTask> trials, TrialEvents events);
  }

  /** What a {@link TrialRunner} reports; it may call from several threads. */
  public interface TrialEvents {
    void started(TrialTask trial);

    void ended(TrialResult result);
  }

  /**
   * Runs one trial: resumes it when its run directory exists (from its newest checkpoint, or from step 0
   * without one), otherwise trains it into a fresh directory. Both give the same weights, so a trial whose
   * first attempt died (a killed sweep, a lost Spark task) ends as an uninterrupted one would.
   */
  public static TrialResult runTrial(ComponentRegistry registry, TrialTask task, TrainingRun.Options options, Consumer<String> progress) {
    long started = System.nanoTime();
    Path trialDir = task.directory();
    try {
      if (Files.isRegularFile(trialDir.resolve(RunDirectory.MANIFEST)) && Files.isRegularFile(trialDir.resolve(RunDirectory.CONFIG))) {
        TrainingRun.resume(registry, trialDir, options.listeners(), options.commandLine(), progress);
      } else {
        deleteTree(trialDir);
        TrainingRun.train(registry, task.configs(), task.overrides(), new TrainingRun.Options(trialDir, null, options.listeners(),
            options.commandLine(), options.engine(), null));
      }
    } catch (IOException e) {
      throw new NeuriteException("cannot prepare " + trialDir + ": " + e.getMessage(), e);
    } catch (TrainingDivergedException e) { // a learning rate too high for the model is a result of the sweep, not its end
      return new TrialResult(task.number(), e.getMessage().replaceFirst("\\. Lower the learning rate.*", ""),
          (System.nanoTime() - started) / 1e9);
    }
    return new TrialResult(task.number(), null, (System.nanoTime() - started) / 1e9);
  }

  /** The trials one after another in this JVM, each reporting to {@code listeners}. */
  public static TrialRunner inThisJvm(ComponentRegistry registry, List<TrainingListener> listeners, Consumer<String> progress) {
    return (trials, events) -> {
      for (TrialTask t : trials) {
        events.started(t);
        events.ended(runTrial(registry, t, new TrainingRun.Options(t.directory(), null, listeners, List.of("neurite", "sweep")), progress));
      }
    };
  }

  public static List<Trial> run(ComponentRegistry registry, List<Path> configs, List<String> overrides, Path out, Path runsRoot,
                                List<TrainingListener> listeners, Consumer<String> progress) {
    return run(registry, configs, overrides, out, runsRoot, inThisJvm(registry, listeners, progress), progress);
  }

  /**
   * The sweep of {@code configs}: its directory created (or found, to continue), the trials not yet ended
   * given to {@code runner}, {@code sweep.csv} rewritten as each ends, {@code compare.html} at the end;
   * returns the trials ranked.
   */
  public static List<Trial> run(ComponentRegistry registry, List<Path> configs, List<String> overrides, Path out, Path runsRoot,
                                TrialRunner runner, Consumer<String> progress) {
    LoadedExperiment base = new ExperimentLoader(registry).load(configs, overrides, System::getenv);
    SweepSpec sweep = base.spec().sweep().orElseThrow(() -> new NeuriteException(configs.get(0)
        + " has no sweep: section; add one (method, trials, metric, parameters) or use ./neurite train"));
    check(registry, base, System::getenv);
    List<List<String>> plan = plan(sweep, base.spec().seed());
    String planJson = planJson(configs, overrides, plan);
    Path dir;
    try {
      if (out != null && Files.isRegularFile(out.resolve(PLAN))) {
        String recorded = Files.readString(out.resolve(PLAN));
        if (!JsonParser.parseString(recorded).equals(JsonParser.parseString(planJson))) {
          throw new NeuriteException(out + " holds a different sweep (its " + PLAN + " lists other configs, overrides or trials); "
              + "choose a new --out");
        }
        dir = out;
        progress.accept("continuing the sweep in " + dir);
      } else {
        RunDirectory.Contents writePlan = staged -> AtomicFiles.write(staged.path().resolve(PLAN), planJson);
        dir = out != null ? RunDirectory.createAt(out, writePlan).path()
            : RunDirectory.createUnder(runsRoot, base.spec().name() + "-sweep", LocalDateTime.now(), writePlan).path();
      }
    } catch (IOException e) {
      throw new NeuriteException("cannot create the sweep directory: " + e.getMessage(), e);
    }
    Map<Integer, Trial> ended = new TreeMap<>();
    List<TrialTask> pending = new ArrayList<>();
    for (int t = 0; t < plan.size(); t++) {
      Path trialDir = trialDirectory(dir, t + 1);
      Double finished = completedMetric(trialDir, sweep.metric());
      if (finished != null || diverged(trialDir)) {
        progress.accept(String.format("trial %d/%d: %s before, kept (%s)", t + 1, plan.size(), finished != null ? "finished" : "diverged",
            String.join(" ", plan.get(t))));
        ended.put(t + 1, new Trial(t + 1, plan.get(t), trialDir, finished, true));
        continue;
      }
      List<String> all = new ArrayList<>(overrides);
      all.addAll(plan.get(t));
      all.add("sweep=null");
      pending.add(new TrialTask(t + 1, plan.get(t), List.copyOf(configs), List.copyOf(all), trialDir));
    }
    runner.runAll(pending, new TrialEvents() {
      @Override
      public void started(TrialTask t) {
        progress.accept(String.format("trial %d/%d: %s", t.number(), plan.size(), String.join(" ", t.planned())));
      }

      @Override
      public void ended(TrialResult result) {
        TrialTask task = pending.stream().filter(t -> t.number() == result.number()).findFirst().orElseThrow();
        Trial trial;
        if (result.divergence() != null) {
          progress.accept(String.format("trial %d/%d: %s (%s)", task.number(), plan.size(), result.divergence(),
              task.directory().getFileName()));
          trial = new Trial(task.number(), task.planned(), task.directory(), null, false);
        } else {
          trial = new Trial(task.number(), task.planned(), task.directory(), completedMetric(task.directory(), sweep.metric()), false);
          progress.accept(String.format(Locale.ROOT, "trial %d/%d: %s %s in %.2f s (%s)", task.number(), plan.size(), sweep.metric(),
              trial.metric() == null ? "-" : Numbers.format(trial.metric()), result.seconds(), task.directory().getFileName()));
        }
        synchronized (ended) {
          ended.put(task.number(), trial);
          writeTable(dir, List.copyOf(ended.values()), sweep);
        }
      }
    });
    List<Trial> trials = List.copyOf(ended.values());
    writeTable(dir, trials, sweep);
    try {
      progress.accept("comparison: " + Comparison.write(List.of(dir), sweep.metric(), sweep.goal() == SweepSpec.Goal.MAX, null).html());
    } catch (RuntimeException e) {
      progress.accept("warning: " + Comparison.FILE + " was not written: " + e.getMessage() + "; ./neurite compare " + dir + " tries again");
    }
    return ranked(trials, sweep);
  }

  /** The trials, best first by the sweep's metric (ties by trial number); those without one (diverged) last. */
  public static List<Trial> ranked(List<Trial> trials, SweepSpec sweep) {
    Comparator<Double> order = sweep.goal() == SweepSpec.Goal.MAX ? Comparator.reverseOrder() : Comparator.naturalOrder();
    Comparator<Trial> byMetric = Comparator.comparing(t -> t.metric() == null || t.metric().isNaN() ? null : t.metric(),
        Comparator.nullsLast(order));
    return trials.stream().sorted(byMetric.thenComparing(Trial::number)).toList();
  }

  /** Whether the trial stopped because its loss diverged (its summary says so): a final outcome, not one to resume. */
  private static boolean diverged(Path trialDir) {
    Path summary = trialDir.resolve(RunDirectory.SUMMARY);
    if (!Files.isRegularFile(summary)) return false;
    try {
      JsonObject s = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
      return "failed".equals(s.get("status").getAsString()) && s.has("error") && s.get("error").getAsString().startsWith("training diverged");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Double completedMetric(Path trialDir, String metric) {
    Path summary = trialDir.resolve(RunDirectory.SUMMARY);
    if (!Files.isRegularFile(summary)) return null;
    try {
      JsonObject s = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
      if (!"completed".equals(s.get("status").getAsString())) return null;
      String[] parts = metric.split("\\.", 2);
      JsonElement split = s.get(parts[0]);
      if (split == null || !split.isJsonObject() || split.getAsJsonObject().get(parts[1]) == null) {
        throw new NeuriteException(summary + " has no " + metric + "; the sweep's metric must be one of the config's metrics on a split it has");
      }
      return split.getAsJsonObject().get(parts[1]).getAsDouble();
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeTable(Path dir, List<Trial> trials, SweepSpec sweep) {
    StringBuilder b = new StringBuilder("trial");
    for (SweepSpec.Parameter p : sweep.parameters()) b.append(',').append(csv(p.path()));
    b.append(',').append(csv(sweep.metric())).append(",run\n");
    for (Trial t : trials) {
      b.append(t.number());
      for (String o : t.overrides()) b.append(',').append(csv(o.substring(o.indexOf('=') + 1)));
      b.append(',').append(t.metric() == null ? "" : t.metric()).append(',').append(csv(t.directory().getFileName().toString())).append('\n');
    }
    try {
      AtomicFiles.write(dir.resolve(TABLE), b.toString());
    } catch (IOException e) {
      throw new NeuriteException("cannot write " + dir.resolve(TABLE) + ": " + e.getMessage(), e);
    }
  }

  private static String csv(String s) {
    return s.matches(".*[,\"\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String planJson(List<Path> configs, List<String> overrides, List<List<String>> plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("configs", configs.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    m.put("overrides", overrides);
    m.put("trials", plan);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(m) + "\n";
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}
