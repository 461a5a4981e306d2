package dev.neurite.run;

import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code manifest.json}: what a run was made from and where, so that it can be checked and repeated:
 * the config's and every data file's SHA-256, every plugin jar with its version and SHA-256, Neurite's
 * version, the JVM, OS, CPU and threads, the git commit of the working directory, the command line,
 * the seed, the times and the final weights' SHA-256. The README documents each field.
 */
public final class Manifest {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  Manifest(LoadedExperiment loaded, ComponentRegistry registry, List<String> commandLine, Instant started) throws IOException {
    fields.put("neurite_version", version());
    fields.put("status", "running");
    fields.put("command_line", List.copyOf(commandLine));
    fields.put("working_directory", Path.of("").toAbsolutePath().toString());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("path", loaded.file().toAbsolutePath().normalize().toString());
    config.put("sha256", Hashes.sha256(loaded.file()));
    if (loaded.files().size() > 1) {
      List<Object> merged = new ArrayList<>();
      for (Path f : loaded.files()) merged.add(Map.of("path", f.toAbsolutePath().normalize().toString(), "sha256", Hashes.sha256(f)));
      config.put("merged", merged);
    }
    config.put("overrides", List.copyOf(loaded.overrides()));
    fields.put("config", config);
    fields.put("seed", loaded.spec().seed());
    fields.put("determinism", loaded.spec().determinism().name().toLowerCase(Locale.ROOT));
    if (!loaded.nondeterministic().isEmpty()) fields.put("nondeterministic_components", new TreeMap<>(loaded.nondeterministic()));
    List<Object> data = new ArrayList<>();
    for (var entry : dataFiles(loaded).entrySet()) for (Path file : entry.getValue()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("source", entry.getKey());
      d.put("path", file.toString());
      d.put("bytes", Files.size(file));
      d.put("sha256", Hashes.sha256(file));
      data.add(d);
    }
    fields.put("data", data);
    List<Object> plugins = new ArrayList<>();
    for (NeuritePlugin plugin : registry.plugins()) plugins.add(plugin(plugin));
    fields.put("plugins", plugins);
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
    jvm.put("vm", System.getProperty("java.vm.name"));
    fields.put("jvm", jvm);
    Map<String, Object> os = new LinkedHashMap<>();
    os.put("name", System.getProperty("os.name"));
    os.put("version", System.getProperty("os.version"));
    os.put("arch", System.getProperty("os.arch"));
    fields.put("os", os);
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("model", cpuModel());
    cpu.put("cores", Runtime.getRuntime().availableProcessors());
    fields.put("cpu", cpu);
    fields.put("threads", Parallel.threads());
    fields.put("gemm_kernel", Kernels.gemmKernel());
    fields.put("git", git());
    fields.put("started", started.toString());
  }

  /** The data files each source of the config reads ({@code data.source}, {@code data.validation}, {@code data.test}), absolute. */
  private static Map<String, List<Path>> dataFiles(LoadedExperiment loaded) {
    Map<String, List<Path>> sources = new LinkedHashMap<>();
    sources.put("data.source", loaded.spec().data().source().files());
    loaded.spec().data().validation().ifPresent(v -> sources.put("data.validation", v.files()));
    loaded.spec().data().test().ifPresent(t -> sources.put("data.test", t.files()));
    sources.replaceAll((k, files) -> files.stream().map(f -> f.toAbsolutePath().normalize()).toList());
    return sources;
  }

  /** Neurite's version, as manifest.json records it. */
  public static String version() {
    String v = Manifest.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  private static Map<String, Object> plugin(NeuritePlugin plugin) throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", plugin.name());
    p.put("class", plugin.getClass().getName());
    p.put("source", ComponentType.sourceOf(plugin.getClass()));
    String version = plugin.getClass().getPackage() == null ? null : plugin.getClass().getPackage().getImplementationVersion();
    p.put("version", version);
    CodeSource cs = plugin.getClass().getProtectionDomain().getCodeSource();
    Path location = null;
    try {
      if (cs != null && cs.getLocation() != null) location = Path.of(cs.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      // not a file: no hash
    }
    p.put("sha256", location != null && Files.isRegularFile(location) ? Hashes.sha256(location) : null);
    return p;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable
    }
    return System.getProperty("os.arch");
  }

  /** The commit and dirty flag of the working directory's git checkout; null fields without git. */
  private static Map<String, Object> git() {
    Map<String, Object> g = new LinkedHashMap<>();
    String commit = run("git", "rev-parse", "HEAD");
    g.put("commit", commit);
    String status = commit == null ? null : run("git", "status", "--porcelain");
    g.put("dirty", status == null ? null : !status.isBlank());
    return g;
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private Manifest(Map<String, Object> fields) {
    this.fields.putAll(fields);
  }

  /** A recorded manifest, running again from {@code from} (null: from step 0): the resume is added to its {@code resumed} list. */
  @SuppressWarnings("unchecked")
  static Manifest resumed(Map<String, Object> recorded, Trainer.Snapshot from, List<String> commandLine, Instant at) {
    Map<String, Object> fields = new LinkedHashMap<>(recorded);
    List<Object> resumes = fields.get("resumed") instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("from_epoch", from == null ? 0 : from.epoch());
    if (from != null && from.midEpoch()) r.put("from_batch", from.batch());
    r.put("from_step", from == null ? 0 : from.step());
    r.put("at", at.toString());
    r.put("command_line", List.copyOf(commandLine));
    resumes.add(r);
    fields.put("resumed", resumes);
    fields.put("status", "running");
    fields.remove("finished");
    fields.put("weights_sha256", null);
    return new Manifest(fields);
  }

  /**
   * Each data file of the run whose bytes changed since the manifest recorded them, or that is gone,
   * described; empty when all match. Only the files the run's own config reads are opened: a path in
   * the manifest that the config does not name (an edited manifest) is reported, never read.
   */
  @SuppressWarnings("unchecked")
  public static List<String> changedData(Map<String, Object> manifest, LoadedExperiment config) {
    List<String> changed = new ArrayList<>();
    Set<Path> expected = new LinkedHashSet<>();
    dataFiles(config).values().forEach(expected::addAll);
    Set<Path> recordedPaths = new HashSet<>();
    List<?> data = manifest.get("data") instanceof List<?> l ? l : List.of();
    for (Object o : data) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("path") instanceof String p)) {
        changed.add(RunDirectory.MANIFEST + " has a malformed data entry");
        continue;
      }
      Map<String, Object> d = (Map<String, Object>) m;
      Path file;
      try {
        file = Path.of(p).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        changed.add(RunDirectory.MANIFEST + " records a data path that is not a valid path: " + Messages.echo(p));
        continue;
      }
      if (!expected.contains(file)) {
        changed.add(RunDirectory.MANIFEST + " records the data file " + Messages.echo(p)
            + ", which the run's " + RunDirectory.CONFIG + " does not read (not opened)");
        continue;
      }
      recordedPaths.add(file);
      Object bytes = d.get("bytes") instanceof Number n ? (Object) n.longValue() : d.get("bytes");
      try {
        if (!Files.isRegularFile(file)) {
          changed.add(file + ": missing (recorded " + bytes + " bytes, sha256 " + d.get("sha256") + ")");
          continue;
        }
        String now = Hashes.sha256(file);
        if (!now.equals(d.get("sha256"))) {
          changed.add(file + ": sha256 " + d.get("sha256") + " when the run was made, " + now + " now (" + bytes + " -> "
              + Files.size(file) + " bytes)");
        }
      } catch (IOException e) {
        changed.add(file + " cannot be read: " + Messages.brief(e));
      }
    }
    for (Path f : expected) {
      if (!recordedPaths.contains(f)) changed.add(f + ": read by the run's " + RunDirectory.CONFIG + " but not recorded in " + RunDirectory.MANIFEST);
    }
    changedInitialWeights(manifest, config, changed);
    return changed;
  }

  /** The {@code model.init_from} file: the same path as recorded, with the same SHA-256. */
  private static void changedInitialWeights(Map<String, Object> manifest, LoadedExperiment config, List<String> changed) {
    var spec = config.spec().model().initFrom();
    Object recorded = manifest.get("init_from");
    if (spec.isEmpty() && recorded == null) return;
    if (spec.isEmpty()) {
      changed.add(RunDirectory.MANIFEST + " records model.init_from, which the run's " + RunDirectory.CONFIG + " does not have");
      return;
    }
    Path file = InitialWeights.file(spec.get().path()).toAbsolutePath().normalize();
    if (!(recorded instanceof Map<?, ?> r) || !(r.get("sha256") instanceof String sha)) {
      changed.add(file + ": the model.init_from file is not recorded in " + RunDirectory.MANIFEST);
      return;
    }
    if (!file.toString().equals(r.get("path"))) {
      changed.add("model.init_from: the run started from " + r.get("path") + ", the config now names " + file);
      return;
    }
    try {
      String now = Hashes.sha256(file);
      if (!now.equals(sha)) changed.add(file + " (model.init_from): sha256 " + sha + " when the run was made, " + now + " now");
    } catch (IOException e) {
      changed.add(file + " (model.init_from) cannot be read: " + Messages.brief(e));
    }
  }

  /** Marks the newest {@code resumed} entry as a deliberate change: the overrides and the config's SHA-256 before them. */
  @SuppressWarnings("unchecked")
  void changedOnResume(List<String> overrides, String configSha256Before) {
    List<Object> resumes = (List<Object>) fields.get("resumed");
    Map<String, Object> last = (Map<String, Object>) resumes.get(resumes.size() - 1);
    last.put("overrides", List.copyOf(overrides));
    last.put("config_sha256_before", configSha256Before);
  }

  /** The overrides of every resume that changed the config, in order; empty when the run is its config's. */
  @SuppressWarnings("unchecked")
  public static List<String> changesOnResume(Map<String, Object> manifest) {
    List<String> changes = new ArrayList<>();
    if (manifest.get("resumed") instanceof List<?> resumes) {
      for (Object r : resumes) {
        if (r instanceof Map<?, ?> m && m.get("overrides") instanceof List<?> o && !o.isEmpty()) {
          Object step = m.get("from_step") instanceof Number n ? (Object) n.longValue() : m.get("from_step");
          changes.add("from step " + step + ": " + String.join(" ", (List<String>) o));
        }
      }
    }
    return changes;
  }

  /** Where the run ran when an engine other than this JVM ran it: its name, master and task (see docs/spark.md). */
  void engine(Map<String, Object> engine) {
    fields.put("engine", new LinkedHashMap<>(engine));
  }

  /** The weights the run started from ({@code model.init_from}) and the layers it kept frozen ({@code trainable: false}). */
  void startingPoint(InitialWeights.Report initialWeights, List<String> frozenLayers) {
    if (initialWeights != null) fields.put("init_from", initialWeights.json());
    if (!frozenLayers.isEmpty()) fields.put("frozen_layers", List.copyOf(frozenLayers));
  }

  void finish(String status, Instant finished, String weightsSha256) {
    fields.put("status", status);
    fields.put("finished", finished.toString());
    fields.put("weights_sha256", weightsSha256);
  }

  Map<String, Object> fields() {
    return fields;
  }
}
