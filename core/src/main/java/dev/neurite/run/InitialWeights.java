package dev.neurite.run;

import dev.neurite.config.InitFromSpec;
import dev.neurite.nn.Model;
import dev.neurite.spi.Layer;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.init_from}: copies tensors of a safetensors file into a freshly built model by name,
 * after renaming them by {@code map}, checking each shape. Names are the model's own: params
 * {@code layers.<index>.<param>} and buffers {@code layers.<index>.running_mean}, as in
 * {@code weights.safetensors} (and in a PyTorch {@code nn.Sequential} called {@code layers}). A shape
 * that differs is an error in both modes; strict also refuses a param or buffer the file lacks and a
 * tensor of the file the model does not have.
 */
public final class InitialWeights {
  /** What was done: the file and its SHA-256, the model's tensors loaded, those left at their initializer, and the file's tensors not used. */
  public record Report(Path file, String sha256, boolean strict, List<String> loaded, List<String> initialized, List<String> unused) {
    /** The manifest's {@code init_from} entry. */
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", file.toString());
      m.put("sha256", sha256);
      m.put("strict", strict);
      m.put("loaded", loaded);
      m.put("initialized", initialized);
      m.put("unused", unused);
      return m;
    }

    /** One line for the console: "loaded 4 tensors from FILE; left at their initializer: ...; not used: ...". */
    public String summary() {
      StringBuilder b = new StringBuilder("init_from: loaded " + loaded.size() + " tensor" + (loaded.size() == 1 ? "" : "s") + " from " + file);
      if (!initialized.isEmpty()) b.append("; left at their initializer: ").append(String.join(", ", initialized));
      if (!unused.isEmpty()) b.append("; not used: ").append(String.join(", ", unused));
      return b.toString();
    }
  }

  private InitialWeights() {}

  /** The safetensors file {@code path} names: the file itself, or a run directory's weights. */
  public static Path file(Path path) {
    return Files.isDirectory(path) ? path.resolve(RunDirectory.WEIGHTS) : path;
  }

  public static Report load(InitFromSpec spec, Model model) {
    Path file = file(spec.path());
    byte[] bytes;
    Map<String, Tensor> tensors;
    try {
      bytes = SafeTensors.readBytes(file);
      tensors = SafeTensors.decode(bytes, file.toString());
      SafeTensors.requireFinite(tensors, file.toString());
    } catch (IOException e) {
      throw new NeuriteException("model.init_from: " + e.getMessage()
          + (Files.isDirectory(spec.path()) ? " (the run directory has no weights: did it complete?)" : ""), e);
    }
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    for (Map.Entry<String, String> m : spec.map().entrySet()) {
      if (!tensors.containsKey(m.getKey())) {
        throw new NeuriteException("model.init_from.map names " + m.getKey() + ", which " + file + " does not have (it has: "
            + String.join(", ", tensors.keySet()) + ")");
      }
    }
    tensors.forEach((name, t) -> renamed.put(spec.map().getOrDefault(name, name), t));
    Map<String, Tensor> targets = new LinkedHashMap<>(); // the model's tensors by name: params, then buffers
    for (Param p : model.params()) targets.put(p.name(), p.value());
    List<Layer> layers = model.layers();
    Map<Integer, State> states = new LinkedHashMap<>(); // read once: the tensors filled below are these
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Stateful s) {
        int index = i;
        State state = s.state();
        states.put(i, state);
        state.tensors().forEach((k, v) -> targets.put("layers." + index + "." + k, v));
      }
    }
    List<String> problems = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<String> initialized = new ArrayList<>();
    for (Map.Entry<String, Tensor> target : targets.entrySet()) {
      Tensor source = renamed.get(target.getKey());
      if (source == null) {
        if (spec.strict()) problems.add(target.getKey() + " is missing");
        initialized.add(target.getKey());
      } else if (!source.shape().equals(target.getValue().shape())) {
        problems.add(target.getKey() + " has shape " + source.shape() + " in the file, the model needs " + target.getValue().shape());
      } else {
        loaded.add(target.getKey());
      }
    }
    List<String> unused = renamed.keySet().stream().filter(n -> !targets.containsKey(n)).toList();
    if (spec.strict() && !unused.isEmpty()) {
      problems.add("the model has no " + String.join(", ", unused) + " (rename with model.init_from.map, or set strict: false to leave "
          + (unused.size() == 1 ? "it" : "them") + " out)");
    }
    if (!problems.isEmpty()) {
      throw new NeuriteException("model.init_from: " + file + " does not fit the model" + (spec.strict() ? " (strict)" : "") + ": "
          + String.join("; ", problems));
    }
    for (String name : loaded) {
      Tensor source = renamed.get(name);
      System.arraycopy(source.data(), 0, targets.get(name).data(), 0, source.size());
    }
    states.forEach((i, state) -> ((Stateful) layers.get(i)).load(state)); // the buffers, filled above
    return new Report(file.toAbsolutePath().normalize(), Hashes.sha256(bytes), spec.strict(), List.copyOf(loaded), List.copyOf(initialized),
        List.copyOf(unused));
  }
}
