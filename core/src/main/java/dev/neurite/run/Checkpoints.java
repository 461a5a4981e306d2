package dev.neurite.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Messages;
import dev.neurite.spi.Metric;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints of a run, in {@code checkpoints/}: one safetensors file per checkpoint holding
 * everything the loop needs to continue bit for bit (params, the layers', optimizer's, schedule's
 * and callbacks' state, every component's random stream, the trainer's step, shuffle stream and
 * row order), and {@code index.json} listing the complete ones with their SHA-256. A checkpoint
 * taken in the middle of an epoch also holds the data cursor (the batches done, the
 * augmentations' stream states for the next batch) and the training metrics' running state.
 *
 * <p>A checkpoint file is written atomically (temporary file, fsync, rename) and only then added
 * to the index (also written atomically), so a crash at any point leaves the index naming only
 * complete files. Each file also carries the SHA-256 of its own tensor data in its header
 * ({@code checkpoint/data_sha256}), so it can be verified without the index: when the index is
 * missing or damaged, the files in {@code checkpoints/} are scanned and verified instead. On resume
 * a file whose bytes no longer match its hashes (truncated or corrupted later) is named and
 * skipped, and the previous checkpoint is used. The last {@code keep} are kept.
 *
 * <p>Only files named the way checkpoints are written ({@link #NAME}), directly inside
 * {@code checkpoints/}, are ever opened or deleted: a name in the index that is not of that form
 * (a path such as {@code ../../x} or {@code /etc/passwd}) is reported and ignored.
 */
public final class Checkpoints {
  static final String DIR = "checkpoints";
  static final String INDEX = "index.json";
  /** A checkpoint's file name: after epoch N, or after batch B of epoch N (both counted from 1). */
  static final Pattern NAME = Pattern.compile("epoch-(\\d{6})(?:-batch-(\\d{6}))?\\.safetensors");
  /** The metadata key holding the SHA-256 of the file's tensor data. */
  static final String DATA_SHA256 = "checkpoint/data_sha256";
  /** For tests: crash (halt the JVM) half-way through writing checkpoint number N. */
  private static final int CRASH_DURING = Integer.getInteger("neurite.test.crashDuringCheckpoint", 0);

  private final Path dir;
  private final int keep;
  private int written;

  public Checkpoints(Path runDir, int keep) {
    this.dir = runDir.resolve(DIR);
    this.keep = keep;
  }

  /** A checkpoint read back: the trainer's snapshot and the tensors and metadata to restore components from. */
  public record Loaded(Path file, Trainer.Snapshot snapshot, Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /** Writes a checkpoint of the run as it stands, rotating out the oldest beyond {@code keep}; returns its file. */
  public Path save(Experiment experiment, LoadedExperiment loaded, Trainer trainer) throws IOException {
    Trainer.Snapshot s = trainer.snapshot();
    for (Param p : experiment.model().params()) {
      float[] v = p.value().data();
      for (int i = 0, n = p.value().size(); i < n; i++) {
        if (!Float.isFinite(v[i])) { // a diverged step: never let such a checkpoint rotate a good one out
          throw new TrainingDivergedException("training diverged: param " + p.name() + " became " + v[i] + " by step "
              + s.step() + "; no checkpoint was written, so the newest one in " + dir + " is still finite. Lower the learning rate "
              + "(optimizer, " + loaded.positionOf("optimizer") + ") and continue with ./neurite resume RUN_DIR --set optimizer.lr=...");
        }
      }
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (Param p : experiment.model().params()) tensors.put("param/" + p.name(), p.value());
    List<Layer> layers = experiment.model().layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Stateful st) put("layer/" + i, st.state(), tensors, meta);
    }
    put("optimizer", experiment.spec().optimizer().state(), tensors, meta);
    experiment.spec().schedule().ifPresent(sc -> put("schedule", sc.state(), tensors, meta));
    for (int i = 0; i < experiment.spec().callbacks().size(); i++) {
      if (experiment.spec().callbacks().get(i) instanceof Stateful st) put("callback/" + i, st.state(), tensors, meta);
    }
    if (s.midEpoch()) {
      List<Metric> metrics = experiment.spec().metrics();
      for (int i = 0; i < metrics.size(); i++) {
        if (metrics.get(i) instanceof Stateful st) put("metric/" + i, st.state(), tensors, meta);
      }
      meta.put("trainer/loss_sum", Double.toString(s.lossSum()));
      meta.put("trainer/seen", Long.toString(s.seen()));
    }
    // the augmentations' streams as the next batch needs them (the prefetch thread may be ahead)
    loaded.streams().forEach((path, stream) ->
        meta.put("rng/" + path, Long.toString(s.cursorStreams().getOrDefault(path, stream.state()))));
    meta.put("trainer/epoch", Integer.toString(s.epoch()));
    meta.put("trainer/batch", Integer.toString(s.batch()));
    meta.put("trainer/step", Long.toString(s.step()));
    meta.put("trainer/lr_factor", Double.toString(s.lrFactor()));
    meta.put("trainer/first_loss", Double.toString(s.firstLoss()));
    meta.put("trainer/shuffle", Long.toString(s.shuffleState()));
    meta.put("trainer/order", encode(s.order()));
    if (s.stopReason() != null) meta.put("trainer/stop_reason", s.stopReason());

    Files.createDirectories(dir);
    String name = s.midEpoch() ? String.format("epoch-%06d-batch-%06d.safetensors", s.epoch() + 1, s.batch())
        : String.format("epoch-%06d.safetensors", s.epoch());
    meta.put(DATA_SHA256, SafeTensors.dataSha256(tensors.values()));
    byte[] bytes = SafeTensors.encode(tensors, meta);
    written++;
    if (written == CRASH_DURING) {
      Files.write(dir.resolve("." + name + ".tmp"), Arrays.copyOf(bytes, bytes.length / 2));
      Runtime.getRuntime().halt(137); // as kill -9 in the middle of the write
    }
    AtomicFiles.write(dir.resolve(name), bytes);
    List<JsonObject> entries = readableEntries();
    entries.removeIf(e -> e.get("file").getAsString().equals(name));
    JsonObject entry = new JsonObject();
    entry.addProperty("file", name);
    entry.addProperty("epoch", s.epoch());
    if (s.midEpoch()) entry.addProperty("batch", s.batch());
    entry.addProperty("step", s.step());
    entry.addProperty("bytes", bytes.length);
    entry.addProperty("sha256", Hashes.sha256(bytes));
    entries.add(entry);
    List<JsonObject> dropped = new ArrayList<>();
    while (entries.size() > keep) dropped.add(entries.remove(0));
    writeIndex(entries);
    for (JsonObject d : dropped) Files.deleteIfExists(dir.resolve(d.get("file").getAsString())); // a validated NAME
    return dir.resolve(name);
  }

  /**
   * The newest checkpoint whose bytes match its hashes; {@code warnings} gets every one skipped, and
   * why. The index is used when it is readable; otherwise, or when none of its entries is intact,
   * the checkpoint files themselves are scanned and verified.
   */
  public Optional<Loaded> latest(List<String> warnings) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new NeuriteException(dir + " is a symbolic link; checkpoints are only read from inside the run directory");
    }
    Index index = readIndex();
    index.problems().forEach(warnings::add);
    List<String> tried = new ArrayList<>();
    for (int i = index.entries().size() - 1; i >= 0; i--) {
      JsonObject e = index.entries().get(i);
      String name = e.get("file").getAsString();
      tried.add(name);
      Optional<Loaded> c = verified(name, e.get("bytes").getAsLong(), e.get("sha256").getAsString(), warnings);
      if (c.isPresent()) return c;
    }
    // no usable index, or none of its checkpoints is intact: the files speak for themselves
    List<String> names = scan();
    names.removeAll(tried);
    if (!names.isEmpty() && index.usable()) {
      warnings.add(dir.resolve(INDEX) + " names no intact checkpoint; checking the other checkpoint files");
    }
    for (int i = names.size() - 1; i >= 0; i--) {
      Optional<Loaded> c = verified(names.get(i), -1, null, warnings);
      if (c.isPresent()) return c;
    }
    return Optional.empty();
  }

  /** The checkpoint file {@code name}, if its bytes match the index's record (when given) and its own data hash. */
  private Optional<Loaded> verified(String name, long recordedBytes, String recordedSha, List<String> warnings) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      warnings.add(file + (Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? " is not a regular file" : " is missing")
          + "; using an earlier checkpoint");
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = SafeTensors.readBytes(file);
    } catch (IOException e) {
      warnings.add(e.getMessage() + "; using an earlier checkpoint");
      return Optional.empty();
    }
    String sha = Hashes.sha256(bytes);
    if (recordedSha != null && (bytes.length != recordedBytes || !sha.equals(recordedSha))) {
      warnings.add(file + " is corrupt or truncated (" + bytes.length + " bytes, sha256 " + sha + "; the index records "
          + recordedBytes + " bytes, sha256 " + recordedSha + "); using an earlier checkpoint");
      return Optional.empty();
    }
    Map<String, Tensor> tensors;
    Map<String, String> meta;
    try {
      tensors = SafeTensors.decode(bytes, file.toString());
      meta = SafeTensors.metadata(bytes);
    } catch (IOException e) {
      warnings.add(e.getMessage() + "; using an earlier checkpoint");
      return Optional.empty();
    }
    String own = meta.get(DATA_SHA256);
    String actual = SafeTensors.dataSha256(bytes);
    if (own == null ? recordedSha == null : !own.equals(actual)) {
      warnings.add(file + (own == null ? " records no hash of its own data, so it cannot be verified without the index"
          : " is corrupt: its data's sha256 is " + actual + ", its header records " + own) + "; using an earlier checkpoint");
      return Optional.empty();
    }
    try {
      Trainer.Snapshot snapshot = new Trainer.Snapshot(Integer.parseInt(required(meta, "trainer/epoch")),
          Integer.parseInt(meta.getOrDefault("trainer/batch", "0")), Long.parseLong(required(meta, "trainer/step")),
          Double.parseDouble(required(meta, "trainer/lr_factor")), Long.parseLong(required(meta, "trainer/shuffle")),
          decode(required(meta, "trainer/order")), meta.get("trainer/stop_reason"),
          Double.parseDouble(meta.getOrDefault("trainer/loss_sum", "0")), Long.parseLong(meta.getOrDefault("trainer/seen", "0")), Map.of(),
          Double.parseDouble(meta.getOrDefault("trainer/first_loss", "NaN")));
      return Optional.of(new Loaded(file, snapshot, tensors, meta));
    } catch (RuntimeException e) {
      warnings.add(file + " has a malformed trainer state (" + e.getMessage() + "); using an earlier checkpoint");
      return Optional.empty();
    }
  }

  private static String required(Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) throw new IllegalArgumentException("no " + key);
    return v;
  }

  /** The checkpoint files in {@code checkpoints/}, oldest first. */
  private List<String> scan() throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return names;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (NAME.matcher(n).matches()) names.add(n);
      }
    }
    names.sort(Comparator.comparingLong(Checkpoints::order));
    return names;
  }

  /** A checkpoint name's place in the run: after batch B of epoch N comes before the end of epoch N. */
  private static long order(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) throw new IllegalArgumentException(name);
    long epoch = Long.parseLong(m.group(1));
    return m.group(2) == null ? epoch * 1_000_000L : (epoch - 1) * 1_000_000L + Long.parseLong(m.group(2));
  }

  /**
   * Puts every component of the experiment back in the checkpoint's state. Returns notes for the
   * user: a mid-epoch checkpoint cannot restore a training metric that is not {@link Stateful}, so
   * that metric's value for the resumed epoch covers only the batches after the resume (the weights
   * are unaffected).
   */
  public static List<String> restore(Loaded c, Experiment experiment, LoadedExperiment loaded) {
    List<String> notes = new ArrayList<>();
    for (Param p : experiment.model().params()) {
      Tensor t = c.tensors().get("param/" + p.name());
      if (t == null || !t.shape().equals(p.value().shape())) {
        throw new NeuriteException(c.file() + " does not fit the model: param " + p.name() + (t == null ? " is missing"
            : " has shape " + t.shape() + ", the model needs " + p.value().shape()));
      }
      System.arraycopy(t.data(), 0, p.value().data(), 0, t.size());
    }
    List<Layer> layers = experiment.model().layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Stateful st) st.load(fitting("layer/" + i, st, c));
    }
    experiment.spec().optimizer().load(fitting("optimizer", experiment.spec().optimizer(), c));
    experiment.spec().schedule().ifPresent(sc -> sc.load(fitting("schedule", sc, c)));
    for (int i = 0; i < experiment.spec().callbacks().size(); i++) {
      if (experiment.spec().callbacks().get(i) instanceof Stateful st) st.load(fitting("callback/" + i, st, c));
    }
    for (Map.Entry<String, RandomStream> e : loaded.streams().entrySet()) {
      String saved = c.metadata().get("rng/" + e.getKey());
      if (saved == null) throw new NeuriteException(c.file() + " has no state for the random stream of " + e.getKey());
      e.getValue().restore(Long.parseLong(saved));
    }
    if (c.snapshot().midEpoch()) {
      List<Metric> metrics = experiment.spec().metrics();
      for (int i = 0; i < metrics.size(); i++) {
        Metric m = metrics.get(i);
        m.reset();
        if (m instanceof Stateful st) {
          st.load(get("metric/" + i, c));
        } else {
          notes.add("metric " + experiment.metricNames().get(i) + " (" + m.getClass().getName() + ") keeps no state, so its training "
              + "value for epoch " + (c.snapshot().epoch() + 1) + " covers only the batches after batch " + c.snapshot().batch());
        }
      }
    }
    return notes;
  }

  private static void put(String prefix, State state, Map<String, Tensor> tensors, Map<String, String> meta) {
    state.tensors().forEach((k, v) -> tensors.put(prefix + "/" + k, v));
    state.numbers().forEach((k, v) -> meta.put(prefix + "/#" + k, (v instanceof Double || v instanceof Float ? "d:" : "l:") + v));
  }

  /** The saved state of a component, checked against the shapes of the state it has now (a tensor it has yet to create is not checked). */
  private static State fitting(String prefix, Stateful component, Loaded c) {
    State saved = get(prefix, c);
    component.state().tensors().forEach((k, now) -> {
      Tensor t = saved.tensors().get(k);
      if (t != null && !t.shape().equals(now.shape())) {
        throw new NeuriteException(c.file() + " does not fit the model: " + prefix + "/" + k + " has shape " + t.shape()
            + ", the model needs " + now.shape());
      }
    });
    return saved;
  }

  private static State get(String prefix, Loaded c) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, Number> n = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith(prefix + "/")) t.put(k.substring(prefix.length() + 1), v);
    });
    c.metadata().forEach((k, v) -> {
      if (k.startsWith(prefix + "/#")) {
        String key = k.substring(prefix.length() + 2);
        n.put(key, v.startsWith("d:") ? (Number) Double.parseDouble(v.substring(2)) : (Number) Long.parseLong(v.substring(2)));
      }
    });
    return new State(t, n);
  }

  /** The index's well-formed entries, oldest first; {@code problems} says what was wrong with the file or an entry. */
  private record Index(List<JsonObject> entries, List<String> problems, boolean usable) {}

  private Index readIndex() {
    Path file = dir.resolve(INDEX);
    List<JsonObject> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    JsonArray list;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) problems.add(file + " is not a regular file; checking the checkpoint files themselves");
        return new Index(out, problems, false);
      }
      String text = RunDirectory.readText(file, RunDirectory.MAX_JSON);
      list = JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("checkpoints");
      if (list == null) throw new IllegalStateException("it has no \"checkpoints\" list");
    } catch (NoSuchFileException e) {
      return new Index(out, problems, false);
    } catch (IOException | RuntimeException e) {
      problems.add(file + " is damaged (" + Messages.brief(e) + "); checking the checkpoint files themselves");
      return new Index(out, problems, false);
    }
    for (JsonElement element : list) {
      String problem = entryProblem(element);
      if (problem == null) out.add(element.getAsJsonObject());
      else problems.add(file + ": " + problem + "; the entry is ignored");
    }
    return new Index(out, problems, true);
  }

  /** Why an index entry is unusable, or null: it must name a checkpoint file and record its size and hash. */
  private static String entryProblem(JsonElement element) {
    if (!(element instanceof JsonObject e)) return "an entry is not an object";
    JsonElement file = e.get("file");
    if (file == null || !file.isJsonPrimitive() || !file.getAsJsonPrimitive().isString()) return "an entry has no \"file\" name";
    String name = file.getAsString();
    if (!NAME.matcher(name).matches()) {
      return "\"" + Messages.truncate(name, 80) + "\" is not a checkpoint file name (epoch-NNNNNN.safetensors or "
          + "epoch-NNNNNN-batch-NNNNNN.safetensors inside checkpoints/)";
    }
    JsonElement bytes = e.get("bytes");
    JsonElement sha = e.get("sha256");
    if (bytes == null || !bytes.isJsonPrimitive() || !bytes.getAsJsonPrimitive().isNumber()) return name + " has no \"bytes\" count";
    if (sha == null || !sha.isJsonPrimitive() || !sha.getAsString().matches("[0-9a-f]{64}")) return name + " has no \"sha256\"";
    return null;
  }

  /** The entries to keep writing to: the index's, or when it is damaged, the intact checkpoint files found by a scan. */
  private List<JsonObject> readableEntries() throws IOException {
    Index index = readIndex();
    if (index.usable()) return index.entries();
    List<JsonObject> rebuilt = new ArrayList<>();
    for (String name : scan()) {
      List<String> ignored = new ArrayList<>();
      Optional<Loaded> c = verified(name, -1, null, ignored);
      if (c.isEmpty()) continue;
      byte[] bytes = Files.readAllBytes(c.get().file());
      JsonObject entry = new JsonObject();
      entry.addProperty("file", name);
      entry.addProperty("epoch", c.get().snapshot().epoch());
      if (c.get().snapshot().midEpoch()) entry.addProperty("batch", c.get().snapshot().batch());
      entry.addProperty("step", c.get().snapshot().step());
      entry.addProperty("bytes", bytes.length);
      entry.addProperty("sha256", Hashes.sha256(bytes));
      rebuilt.add(entry);
    }
    return rebuilt;
  }

  private void writeIndex(List<JsonObject> entries) throws IOException {
    JsonObject root = new JsonObject();
    JsonArray list = new JsonArray();
    entries.forEach(list::add);
    root.add("checkpoints", list);
    AtomicFiles.write(dir.resolve(INDEX), new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
  }

  private static String encode(int[] a) {
    ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : a) b.putInt(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  private static int[] decode(String s) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    int[] a = new int[b.remaining() / 4];
    for (int i = 0; i < a.length; i++) a[i] = b.getInt();
    return a;
  }
}
