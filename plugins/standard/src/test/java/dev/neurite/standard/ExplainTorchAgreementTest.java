package dev.neurite.standard;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.ComponentSpecs;
import dev.neurite.explain.ModelView;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Saliency, gradient x input and integrated gradients against PyTorch autograd on the same weights and
 * inputs (src/test/python/explain_fixtures.py): an MLP, a CNN with max pooling, a branching model, and an
 * MLP with batch norm (running statistics) and dropout (off), in inference mode.
 */
class ExplainTorchAgreementTest {
  private static final double TOLERANCE = 1e-4;
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));

  private static JsonObject fixtures() {
    try (Reader r = new InputStreamReader(ExplainTorchAgreementTest.class.getResourceAsStream("/explain-fixtures.json"),
        StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Within {@code TOLERANCE} relative to the largest reference value; returns the largest difference so measured. */
  static double close(String what, float[] expected, float[] actual) {
    if (expected.length != actual.length) throw new AssertionError(what + ": " + actual.length + " values, PyTorch has " + expected.length);
    double scale = 0;
    for (float v : expected) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * scale)) {
        throw new AssertionError(what + "[" + i + "]: Neurite " + actual[i] + ", PyTorch " + expected[i] + " (scale " + scale + ")");
      }
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
    }
    return worst;
  }

  private static Explainer.Local explainer(String yaml) {
    return (Explainer.Local) ComponentSpecs.fromYaml(REGISTRY, ComponentKind.EXPLAINER, yaml, "test", "explain.methods[0]",
        p -> new RandomStream(1)).component();
  }

  @TestFactory
  Stream<DynamicTest> attributionsMatchPyTorch() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : fixtures().getAsJsonArray("cases")) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        List<Node> nodes = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        JsonArray layers = c.getAsJsonArray("layers");
        for (int i = 0; i < layers.size(); i++) {
          JsonObject l = layers.get(i).getAsJsonObject();
          List<String> inputs = new ArrayList<>();
          l.getAsJsonArray("inputs").forEach(n -> inputs.add(n.getAsString()));
          String name = l.get("name").isJsonNull() ? null : l.get("name").getAsString();
          String path = "model.layers[" + i + "]";
          var type = REGISTRY.find(ComponentKind.LAYER, l.get("type").getAsString()).orElseThrow();
          Layer layer = ComponentSpecs.create(REGISTRY, type, l.get("params").getAsString(), path, p -> new RandomStream(1));
          nodes.add(new Node(name, inputs, layer));
          paths.add(path);
        }
        Model model = Model.graph(nodes);
        Shape sample = Shape.of(TorchAgreementTest.ints(c.getAsJsonArray("input_shape")));
        model.build(sample, paths, true);
        for (Param p : model.params()) {
          float[] w = TorchAgreementTest.floats(c.getAsJsonObject("weights").get(p.name()));
          System.arraycopy(w, 0, p.value().data(), 0, w.length);
        }
        for (int i = 0; i < model.layers().size(); i++) { // batch norm's running statistics
          if (!(model.layers().get(i) instanceof dev.neurite.spi.Stateful stateful)) continue;
          java.util.Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
          for (String key : stateful.state().tensors().keySet()) {
            JsonObject saved = c.getAsJsonObject("state").getAsJsonObject("layers." + i + "." + key);
            tensors.put(key, Tensor.wrap(TorchAgreementTest.floats(saved), TorchAgreementTest.ints(saved.getAsJsonArray("shape"))));
          }
          stateful.load(new dev.neurite.spi.State(tensors, stateful.state().numbers()));
        }
        float[] xs = TorchAgreementTest.floats(c.get("x"));
        Tensor x = Tensor.wrap(xs, sample.prepend(xs.length / sample.size()));
        ModelView view = new ModelView(model, sample, Tensor.zeros(sample.prepend(1)));
        close("outputs", TorchAgreementTest.floats(c.get("out")), view.outputs(x).data());
        int[] targets = TorchAgreementTest.ints(c.getAsJsonArray("targets"));
        double s = close("saliency", TorchAgreementTest.floats(c.get("saliency")), explainer("saliency").attribute(view, x, targets).values().data());
        double gx = close("gradient_x_input", TorchAgreementTest.floats(c.get("gradient_x_input")),
            explainer("gradient_x_input").attribute(view, x, targets).values().data());
        Explainer.Attributions ig = explainer("{type: integrated_gradients, steps: " + c.get("steps").getAsInt() + "}").attribute(view, x, targets);
        double i = close("integrated_gradients", TorchAgreementTest.floats(c.get("integrated_gradients")), ig.values().data());
        System.out.printf("%s: largest difference from PyTorch, relative to the largest value: saliency %.1e, gradient x input %.1e, "
            + "integrated gradients %.1e%n", c.get("id").getAsString(), s, gx, i);
      }));
    }
    return tests.stream();
  }
}
