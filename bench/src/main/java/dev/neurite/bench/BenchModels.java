package dev.neurite.bench;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The models of {@code ../shared/bench/torch_bench.py}, built from the standard components: the
 * MLP 784-256-128-10 (ReLU), the CNN conv 1-8 3x3, relu, pool, conv 8-16 3x3, relu, pool, dense 10, and
 * the LSTM (128 units over 28 steps of 28 values, its last state into dense 10); softmax cross-entropy
 * and SGD (lr 0.05, momentum 0.9). Inputs are 784 floats.
 */
final class BenchModels {
  static final int INPUT = 784;
  static final int LSTM_UNITS = 128;
  static final int LSTM_STEPS = 28;

  record Net(Model model, Loss loss, Optimizer optimizer) {}

  private BenchModels() {}

  static Net build(String name) {
    ComponentRegistry registry = ComponentRegistry.discover(BenchModels.class.getClassLoader());
    List<String> specs = switch (name) {
      case "cnn" -> List.of("{type: reshape, shape: [1, 28, 28]}", "{type: conv2d, filters: 8, kernel_size: 3}", "relu",
          "{type: max_pool2d, kernel_size: 2}", "{type: conv2d, filters: 16, kernel_size: 3}", "relu",
          "{type: max_pool2d, kernel_size: 2}", "flatten", "{type: dense, units: 10}");
      case "mlp" -> List.of("{type: dense, units: 256}", "relu", "{type: dense, units: 128}", "relu", "{type: dense, units: 10}");
      case "lstm" -> List.of("{type: reshape, shape: [28, 28]}", "{type: lstm, units: " + LSTM_UNITS + "}", "{type: dense, units: 10}");
      default -> throw new IllegalArgumentException("no bench model '" + name + "'; valid: mlp, cnn, lstm");
    };
    List<Layer> layers = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      paths.add("model.layers[" + i + "]");
      layers.add(component(registry, ComponentKind.LAYER, specs.get(i), paths.get(i)));
    }
    Model model = new Model(layers);
    model.build(Shape.of(INPUT), paths, false);
    return new Net(model, component(registry, ComponentKind.LOSS, "softmax_cross_entropy", "loss"),
        component(registry, ComponentKind.OPTIMIZER, "{type: sgd, lr: 0.05, momentum: 0.9}", "optimizer"));
  }

  /** A component from its flow-style YAML ({@code relu} or {@code {type: dense, units: 10}}). */
  static <T> T component(ComponentRegistry registry, ComponentKind<T> kind, String yaml, String path) {
    String name = yaml.startsWith("{type: ") ? yaml.substring(7, yaml.indexOf(',') > 0 ? yaml.indexOf(',') : yaml.indexOf('}')) : yaml;
    String params = yaml.startsWith("{type: ") && yaml.indexOf(',') > 0 ? yaml.substring(yaml.indexOf(',') + 1, yaml.length() - 1) : "";
    var type = registry.find(kind, name).orElseThrow(() -> new IllegalStateException("no " + kind + " " + name));
    return ComponentSpecs.create(registry, type, params, path, p -> RandomStream.derive(0, p));
  }
}
