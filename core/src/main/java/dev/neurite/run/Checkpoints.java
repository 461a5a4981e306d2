package dev.neurite.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Metric;
import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * complete files. On resume a file whose bytes no longer match its recorded hash (truncated or
 * corrupted later) is named and skipped, and the previous checkpoint is used. The last
 * {@code keep} are kept.
 */
public final class Checkpoints {
  static final String DIR = "checkpoints";
  static final String INDEX = "index.json";
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

  public void save(Experiment experiment, LoadedExperiment loaded, Trainer trainer) throws IOException {
    Trainer.Snapshot s = trainer.snapshot();
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
    meta.put("trainer/shuffle", Long.toString(s.shuffleState()));
    meta.put("trainer/order", encode(s.order()));
    if (s.stopReason() != null) meta.put("trainer/stop_reason", s.stopReason());

    Files.createDirectories(dir);
    String name = s.midEpoch() ? String.format("epoch-%06d-batch-%06d.safetensors", s.epoch() + 1, s.batch())
        : String.format("epoch-%06d.safetensors", s.epoch());
    byte[] bytes = SafeTensors.encode(tensors, meta);
    written++;
    if (written == CRASH_DURING) {
      Files.write(dir.resolve("." + name + ".tmp"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
      Runtime.getRuntime().halt(137); // as kill -9 in the middle of the write
    }
    AtomicFiles.write(dir.resolve(name), bytes);
    List<JsonObject> entries = entries();
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
    for (JsonObject d : dropped) Files.deleteIfExists(dir.resolve(d.get("file").getAsString()));
  }

  /** The newest checkpoint whose bytes match the index; {@code warnings} gets every one skipped, and why. */
  public Optional<Loaded> latest(List<String> warnings) throws IOException {
    List<JsonObject> entries = entries();
    for (int i = entries.size() - 1; i >= 0; i--) {
      JsonObject e = entries.get(i);
      Path file = dir.resolve(e.get("file").getAsString());
      if (!Files.isRegularFile(file)) {
        warnings.add(file + " is missing; using an earlier checkpoint");
        continue;
      }
      byte[] bytes = Files.readAllBytes(file);
      String sha = Hashes.sha256(bytes);
      if (bytes.length != e.get("bytes").getAsLong() || !sha.equals(e.get("sha256").getAsString())) {
        warnings.add(file + " is corrupt or truncated (" + bytes.length + " bytes, sha256 " + sha + "; the index records "
            + e.get("bytes").getAsLong() + " bytes, sha256 " + e.get("sha256").getAsString() + "); using an earlier checkpoint");
        continue;
      }
      Map<String, Tensor> tensors = SafeTensors.decode(bytes, file.toString());
      Map<String, String> meta = SafeTensors.metadata(bytes);
      Trainer.Snapshot snapshot = new Trainer.Snapshot(Integer.parseInt(meta.get("trainer/epoch")),
          Integer.parseInt(meta.getOrDefault("trainer/batch", "0")), Long.parseLong(meta.get("trainer/step")),
          Double.parseDouble(meta.get("trainer/lr_factor")), Long.parseLong(meta.get("trainer/shuffle")), decode(meta.get("trainer/order")),
          meta.get("trainer/stop_reason"), Double.parseDouble(meta.getOrDefault("trainer/loss_sum", "0")),
          Long.parseLong(meta.getOrDefault("trainer/seen", "0")), Map.of());
      return Optional.of(new Loaded(file, snapshot, tensors, meta));
    }
    return Optional.empty();
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
        throw new dev.neurite.spi.NeuriteException(c.file() + " does not fit the model: param " + p.name() + (t == null ? " is missing"
            : " has shape " + t.shape() + ", the model needs " + p.value().shape()));
      }
      System.arraycopy(t.data(), 0, p.value().data(), 0, t.size());
    }
    List<Layer> layers = experiment.model().layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Stateful st) st.load(get("layer/" + i, c));
    }
    experiment.spec().optimizer().load(get("optimizer", c));
    experiment.spec().schedule().ifPresent(sc -> sc.load(get("schedule", c)));
    for (int i = 0; i < experiment.spec().callbacks().size(); i++) {
      if (experiment.spec().callbacks().get(i) instanceof Stateful st) st.load(get("callback/" + i, c));
    }
    for (Map.Entry<String, RandomStream> e : loaded.streams().entrySet()) {
      String saved = c.metadata().get("rng/" + e.getKey());
      if (saved == null) throw new dev.neurite.spi.NeuriteException(c.file() + " has no state for the random stream of " + e.getKey());
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

  private List<JsonObject> entries() throws IOException {
    Path index = dir.resolve(INDEX);
    List<JsonObject> out = new ArrayList<>();
    if (!Files.isRegularFile(index)) return out;
    JsonArray list = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonArray("checkpoints");
    for (JsonElement e : list) out.add(e.getAsJsonObject());
    return out;
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
