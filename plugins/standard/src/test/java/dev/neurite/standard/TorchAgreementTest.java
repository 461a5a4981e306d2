package dev.neurite.standard;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.ComponentSpecs;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Schedule;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every standard layer, loss and optimizer against PyTorch 1.13 (Debian's python3-torch), from the
 * fixtures that {@code src/test/python/torch_fixtures.py} writes. The bound: every element within
 * 1e-5 of the expected value, relative to the tensor's scale (max(1, max |expected|)), which is what
 * float32 arithmetic with a different summation order allows.
 */
class TorchAgreementTest {
  private static final double TOLERANCE = 1e-5;
  /** An optimizer step against PyTorch's, relative to the step's own size (see sameStep). */
  private static final double STEP_TOLERANCE = 1e-6;
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));
  private static final JsonObject FIXTURES = load("/torch-fixtures.json");
  /** The sequence layers' cases, from {@code src/test/python/torch_sequence_fixtures.py}. */
  private static final JsonObject SEQUENCE_FIXTURES = load("/torch-sequence-fixtures.json");

  private static JsonObject load(String resource) {
    try (Reader r = new InputStreamReader(TorchAgreementTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static float[] floats(JsonElement e) {
    JsonArray a = e.isJsonObject() ? e.getAsJsonObject().getAsJsonArray("data") : e.getAsJsonArray();
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
    return out;
  }

  static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
    return out;
  }

  private static Tensor tensor(JsonObject o) {
    return Tensor.wrap(floats(o), ints(o.getAsJsonArray("shape")));
  }

  static void close(String what, float[] expected, float[] actual) {
    if (expected.length != actual.length) throw new AssertionError(what + ": " + actual.length + " values, PyTorch has " + expected.length);
    double scale = 1;
    for (float v : expected) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * scale)) {
        throw new AssertionError(what + "[" + i + "]: Neurite " + actual[i] + ", PyTorch " + expected[i]);
      }
    }
  }

  /**
   * The step itself (after - before) against PyTorch's, to 1e-6 of the step's largest element: a
   * coefficient rounded to float32 before a subtraction (1 - beta2 as 1f - 0.999f) moves a step by about
   * 1e-5 of its size, which comparing the params alone hides under their own rounding.
   */
  static void sameStep(String what, float[] before, float[] expected, float[] actual) {
    double scale = 0;
    for (int i = 0; i < before.length; i++) scale = Math.max(scale, Math.abs((double) expected[i] - before[i]));
    for (int i = 0; i < before.length; i++) {
      double theirs = (double) expected[i] - before[i];
      double ours = (double) actual[i] - before[i];
      if (!(Math.abs(theirs - ours) <= STEP_TOLERANCE * scale)) {
        throw new AssertionError(String.format(java.util.Locale.ROOT, "%s[%d]: Neurite's step %.9g, PyTorch's %.9g (%.2g of the step's size)",
            what, i, ours, theirs, Math.abs(theirs - ours) / scale));
      }
    }
  }

  private static <T> T create(ComponentKind<T> kind, JsonObject c, String path) {
    var type = REGISTRY.find(kind, c.get("type").getAsString()).orElseThrow();
    return ComponentSpecs.create(REGISTRY, type, c.get("params").getAsString(), path, p -> new RandomStream(1));
  }

  @TestFactory
  Stream<DynamicTest> layers() {
    List<DynamicTest> tests = new ArrayList<>();
    List<JsonElement> cases = new ArrayList<>();
    FIXTURES.getAsJsonArray("layers").forEach(cases::add);
    SEQUENCE_FIXTURES.getAsJsonArray("layers").forEach(cases::add);
    for (JsonElement e : cases) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        Layer layer = create(ComponentKind.LAYER, c, "model.layers[0]");
        Model model = new Model(List.of(layer));
        Shape input = Shape.of(ints(c.getAsJsonArray("input_shape")));
        // a recurrence truncated as training.bptt does, against PyTorch detaching the state every bptt steps
        model.build(input, List.of("model.layers[0]"), true, c.has("bptt") ? c.get("bptt").getAsInt() : 0);
        JsonObject weights = c.getAsJsonObject("weights");
        if (weights.size() != model.params().size()) throw new AssertionError("params " + model.params() + " vs PyTorch " + weights.keySet());
        for (Param p : model.params()) {
          float[] w = floats(weights.get(p.name()));
          System.arraycopy(w, 0, p.value().data(), 0, w.length);
        }
        Tensor x = Tensor.wrap(floats(c.get("x")), input.prepend(floats(c.get("x")).length / input.size()));
        if (c.has("lengths")) layer.mask(dev.neurite.spi.StepMask.ofLengths(input.dim(0), ints(c.getAsJsonArray("lengths")))); // padded sequences
        for (JsonElement modeName : c.getAsJsonArray("modes")) {
          Pass pass = Pass.valueOf(modeName.getAsString());
          Tensor out = model.forward(x, pass);
          close("output (" + pass + ")", floats(c.get("out")), out.data());
          model.zeroGrad();
          Tensor r = Tensor.wrap(floats(c.get("r")), out.shape());
          close("d/d input (" + pass + ")", floats(c.get("grad_x")), model.backward(r).data());
          for (Param p : model.params()) close("d/d " + p.name(), floats(c.getAsJsonObject("grads").get(p.name())), p.grad().data());
        }
        if (c.has("state")) {
          var state = ((dev.neurite.spi.Stateful) layer).state();
          for (String key : c.getAsJsonObject("state").keySet()) {
            close("state " + key, floats(c.getAsJsonObject("state").get(key)), state.tensors().get(key).data());
          }
        }
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> graphs() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : FIXTURES.getAsJsonArray("graphs")) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        List<dev.neurite.nn.Node> nodes = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        JsonArray layers = c.getAsJsonArray("layers");
        for (int i = 0; i < layers.size(); i++) {
          JsonObject l = layers.get(i).getAsJsonObject();
          List<String> inputs = new ArrayList<>();
          l.getAsJsonArray("inputs").forEach(n -> inputs.add(n.getAsString()));
          String name = l.get("name").isJsonNull() ? null : l.get("name").getAsString();
          nodes.add(new dev.neurite.nn.Node(name, inputs, create(ComponentKind.LAYER, l, "model.layers[" + i + "]")));
          paths.add("model.layers[" + i + "]");
        }
        Model model = Model.graph(nodes);
        Shape input = Shape.of(ints(c.getAsJsonArray("input_shape")));
        model.build(input, paths);
        for (Param p : model.params()) {
          float[] w = floats(c.getAsJsonObject("weights").get(p.name()));
          System.arraycopy(w, 0, p.value().data(), 0, w.length);
        }
        Tensor x = Tensor.wrap(floats(c.get("x")), input.prepend(floats(c.get("x")).length / input.size()));
        Tensor out = model.forward(x, Pass.INFERENCE);
        close("output", floats(c.get("out")), out.data());
        model.zeroGrad();
        close("d/d input", floats(c.get("grad_x")), model.backward(Tensor.wrap(floats(c.get("r")), out.shape())).data());
        for (Param p : model.params()) close("d/d " + p.name(), floats(c.getAsJsonObject("grads").get(p.name())), p.grad().data());
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> losses() {
    List<DynamicTest> tests = new ArrayList<>();
    List<JsonElement> cases = new ArrayList<>();
    FIXTURES.getAsJsonArray("losses").forEach(cases::add);
    SEQUENCE_FIXTURES.getAsJsonArray("losses").forEach(cases::add);
    for (JsonElement e : cases) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        Loss loss = create(ComponentKind.LOSS, c, "loss");
        Tensor output = tensor(c.getAsJsonObject("output"));
        Tensor target = tensor(c.getAsJsonObject("target"));
        loss.check(output.shape().dropFirst(), target);
        close("loss", new float[] {c.get("loss").getAsFloat()}, new float[] {(float) loss.forward(output, target)});
        close("d/d output", floats(c.get("grad")), loss.backward().data());
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> schedules() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : FIXTURES.getAsJsonArray("schedules")) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        Schedule schedule = create(ComponentKind.SCHEDULE, c, "schedule");
        int epochs = c.get("epochs").getAsInt();
        int perEpoch = c.get("steps_per_epoch").getAsInt();
        boolean perStep = c.get("per_step").getAsBoolean();
        float[] expected = floats(c.get("factors"));
        float[] actual = new float[expected.length];
        for (int i = 0; i < expected.length; i++) {
          int epoch = perStep ? i / perEpoch : i;
          actual[i] = (float) schedule.factor(new Schedule.Progress(perStep ? i : (long) i * perEpoch, epoch, perEpoch, epochs));
          if (!c.get("metrics").isJsonNull()) {
            schedule.onEpochEnd(i + 1, Map.of("validation_loss", c.getAsJsonArray("metrics").get(i).getAsDouble()));
          }
        }
        close("factors", expected, actual);
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> optimizers() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement e : FIXTURES.getAsJsonArray("optimizers")) {
      JsonObject c = e.getAsJsonObject();
      tests.add(dynamicTest(c.get("id").getAsString(), () -> {
        Optimizer opt = create(ComponentKind.OPTIMIZER, c, "optimizer");
        JsonObject start = c.getAsJsonObject("start");
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, JsonElement> p : start.entrySet()) {
          Tensor value = tensor(p.getValue().getAsJsonObject());
          params.add(new Param(p.getKey(), value, Tensor.zeros(value.shape()), p.getKey().endsWith("weight")));
        }
        JsonArray grads = c.getAsJsonArray("grads");
        for (int step = 0; step < grads.size(); step++) {
          Map<String, float[]> before = new LinkedHashMap<>();
          for (Param p : params) {
            float[] g = floats(grads.get(step).getAsJsonObject().get(p.name()));
            System.arraycopy(g, 0, p.grad().data(), 0, g.length);
            if (step > 0) { // each step starts from PyTorch's params, so the steps are compared one by one
              float[] torchBefore = floats(c.getAsJsonArray("after").get(step - 1).getAsJsonObject().get(p.name()));
              System.arraycopy(torchBefore, 0, p.value().data(), 0, torchBefore.length);
            }
            before.put(p.name(), p.value().data().clone());
          }
          opt.step(params, new StepInfo(step + 1, 1));
          for (Param p : params) {
            float[] expected = floats(c.getAsJsonArray("after").get(step).getAsJsonObject().get(p.name()));
            close(p.name() + " after step " + (step + 1), expected, p.value().data());
            sameStep(p.name() + ", step " + (step + 1), before.get(p.name()), expected, p.value().data());
          }
        }
      }));
    }
    return tests.stream();
  }
}
