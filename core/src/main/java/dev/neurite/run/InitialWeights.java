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
    Match match = Match.of(model, renamed);
    List<String> problems = new ArrayList<>(match.misshapen());
    if (spec.strict()) match.missing().forEach(name -> problems.add(name + " is missing"));
    if (spec.strict() && !match.unused().isEmpty()) {
      problems.add("the model has no " + String.join(", ", match.unused()) + " (rename with model.init_from.map, or set strict: false to leave "
          + (match.unused().size() == 1 ? "it" : "them") + " out)");
    }
    if (!problems.isEmpty()) {
      throw new NeuriteException("model.init_from: " + file + " does not fit the model" + (spec.strict() ? " (strict)" : "") + ": "
          + String.join("; ", problems));
    }
    match.copy(renamed, model);
    return new Report(file.toAbsolutePath().normalize(), Hashes.sha256(bytes), spec.strict(), match.loaded(), match.missing(), match.unused());
  }

  /**
   * A safetensors file's tensors matched against a model's params and buffers by name (params first,
   * then buffers {@code layers.<index>.<name>}): those that fit, those of the model the file lacks, those
   * whose shape differs (as messages), and the file's tensors the model does not have.
   */
  record Match(Map<String, Tensor> targets, Map<Integer, State> states, List<String> loaded, List<String> missing,
               List<String> misshapen, List<String> unused) {
    static Match of(Model model, Map<String, Tensor> tensors) {
      Map<String, Tensor> targets = new LinkedHashMap<>();
      for (Param p : model.params()) targets.put(p.name(), p.value());
      List<Layer> layers = model.layers();
      Map<Integer, State> states = new LinkedHashMap<>(); // read once: the tensors copy() fills are these
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i) instanceof Stateful s) {
          int index = i;
          State state = s.state();
          states.put(i, state);
          state.tensors().forEach((k, v) -> targets.put("layers." + index + "." + k, v));
        }
      }
      List<String> loaded = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> misshapen = new ArrayList<>();
      targets.forEach((name, target) -> {
        Tensor source = tensors.get(name);
        if (source == null) missing.add(name);
        else if (!source.shape().equals(target.shape())) misshapen.add(name + " has shape " + source.shape() + ", the model needs " + target.shape());
        else loaded.add(name);
      });
      List<String> unused = tensors.keySet().stream().filter(n -> !targets.containsKey(n)).toList();
      return new Match(targets, states, List.copyOf(loaded), List.copyOf(missing), List.copyOf(misshapen), unused);
    }

    /** Copies the tensors that fit into the model's params, and its layers take the buffers. */
    void copy(Map<String, Tensor> tensors, Model model) {
      for (String name : loaded) {
        Tensor source = tensors.get(name);
        System.arraycopy(source.data(), 0, targets.get(name).data(), 0, source.size());
      }
      List<Layer> layers = model.layers();
      states.forEach((i, state) -> ((Stateful) layers.get(i)).load(state));
    }
  }
}
