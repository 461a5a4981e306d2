package dev.neurite.onnx;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.run.AtomicFiles;
import dev.neurite.run.Manifest;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.SavedRun;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.train.Experiment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./neurite export}: a finished run as an ONNX model. The graph's input {@code input} takes the
 * data source's features as read (a batch of them: the batch dimension is free), its fitted
 * preprocessing (standardize, scale, min_max, clip) comes first as nodes, then the layers in inference
 * mode (dropout and noise as identity, batch norm with its running statistics); the output
 * {@code output} is the model's, as {@code evaluate} sees it (logits for a softmax cross-entropy model).
 * Every component writes itself through {@link OnnxExportable}; one that does not is an error naming
 * it and the plugin jar it came from.
 */
public final class OnnxExport {
  /** The default operator set: ONNX 1.12 (LayerNormalization needs 17). */
  public static final int DEFAULT_OPSET = 17;
  public static final int MIN_OPSET = 17;

  /** The file written, its size and the metadata stored in it. */
  public record Result(Path file, long bytes, Map<String, String> metadata) {}

  private OnnxExport() {}

  public static Result write(ComponentRegistry registry, Path runDir, Path out, int opset) {
    if (opset < MIN_OPSET) throw new NeuriteException("--opset " + opset + ": the exporter writes opset " + MIN_OPSET + " or newer");
    SavedRun saved = SavedRun.open(registry, runDir, List.of());
    Experiment experiment = saved.experiment();
    OnnxModelWriter graph = new OnnxModelWriter(opset, experiment.spec().name());
    Dataset data = experiment.source();
    String x = graph.input("input", data.sampleShape());
    for (Experiment.FittedTransform t : experiment.transforms()) {
      if (!(t.transform() instanceof OnnxExportable e)) throw unsupported("transform " + t.key(), t.transform());
      x = e.toOnnx(graph, List.of(x), List.of(data.sampleShape()));
      data = t.transform().apply(data); // a lazy view: only its shape is read
    }
    Model model = experiment.model();
    List<Node> nodes = model.nodes();
    Map<String, Integer> byName = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    String modelInput = x;
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      if (!(node.layer() instanceof OnnxExportable e)) throw unsupported("layer model.layers[" + i + "]", node.layer());
      if (node.layer().masking() == dev.neurite.spi.Layer.Masking.STARTS) {
        throw new NeuriteException("layer model.layers[" + i + "] starts a padding mask (an embedding's padding_index, or masking), and the "
            + "ONNX export does not carry padding masks: the exported graph would read padded steps as real ones. Export a run "
            + "trained without the mask (embedding's mask: false), or use ./neurite predict");
      }
      List<String> in = new ArrayList<>();
      if (node.inputs().isEmpty()) {
        in.add(i == 0 ? modelInput : outputs.get(i - 1));
      } else {
        for (String ref : node.inputs()) in.add(ref.equals(Node.MODEL_INPUT) ? modelInput : outputs.get(byName.get(ref)));
      }
      outputs.add(e.toOnnx(graph, in, model.inputShapes(i)));
      if (node.name() != null) byName.put(node.name(), i);
    }
    graph.output("output", outputs.get(outputs.size() - 1), experiment.outputShape());
    Map<String, String> metadata = metadata(runDir, experiment);
    byte[] bytes = graph.model(Manifest.version(), metadata);
    try {
      AtomicFiles.write(out, bytes);
    } catch (IOException e) {
      throw new NeuriteException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return new Result(out, bytes.length, metadata);
  }

  private static NeuriteException unsupported(String what, Object component) {
    return new NeuriteException(what + " (" + component.getClass().getName() + ", from " + ComponentType.sourceOf(component.getClass())
        + ") cannot be exported to ONNX: it does not implement dev.neurite.spi.OnnxExportable");
  }

  private static Map<String, String> metadata(Path runDir, Experiment experiment) {
    Map<String, Object> manifest = RunDirectory.readJsonObject(runDir.resolve(RunDirectory.MANIFEST));
    Map<String, String> m = new LinkedHashMap<>();
    m.put("neurite_version", Manifest.version());
    m.put("name", experiment.spec().name());
    if (manifest.get("config") instanceof Map<?, ?> c && c.get("sha256") != null) m.put("config_sha256", c.get("sha256").toString());
    if (manifest.get("weights_sha256") != null) m.put("weights_sha256", manifest.get("weights_sha256").toString());
    if (!experiment.sourceFeatures().isEmpty()) m.put("feature_names", String.join(",", experiment.sourceFeatures()));
    Object loss = experiment.loaded().resolved().get("loss");
    m.put("loss", loss instanceof Map<?, ?> l ? String.valueOf(l.get("type")) : String.valueOf(loss));
    int k = experiment.outputShape().size();
    String type = m.get("loss");
    if (type.contains("entropy") || type.contains("likelihood") || type.equals("nll") || type.equals("hinge")) {
      List<String> classes = new ArrayList<>();
      for (int c = 0; c < Math.max(2, k); c++) classes.add(Integer.toString(c));
      m.put("class_names", String.join(",", classes));
      m.put("output", k == 1 ? "logit of class 1" : "one score per class (softmax gives probabilities)");
    }
    return m;
  }
}
