package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code ./neurite schema} checked by an independent JSON Schema validator (networknt, draft 2020-12):
 * every shipped config passes, and the bad configs of the corpus that a schema can see are refused.
 */
class ConfigSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonSchema schema(String... pluginArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("schema"));
    args.addAll(List.of(pluginArgs));
    CommandLineTest.Result r = CommandLineTest.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode tree = JSON.readTree(r.out());
    assertThat(tree.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(tree);
  }

  /** A config file as the YAML parser reads it, as JSON. */
  static JsonNode json(String yaml) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return JSON.valueToTree(jsonSafe(tree, 0));
  }

  /**
   * JSON has no NaN or infinity: a YAML {@code .nan} reaches the schema as the text it is. A recursive
   * alias has no JSON form at all (and Neurite refuses it before binding).
   */
  private static Object jsonSafe(Object v, int depth) {
    if (depth > 100) throw new IllegalArgumentException("nested deeper than any config: a recursive alias");
    if (v instanceof Double d && !Double.isFinite(d)) return d.toString();
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, jsonSafe(x, depth + 1)));
      return out;
    }
    if (v instanceof List<?> l) return l.stream().map(x -> jsonSafe(x, depth + 1)).toList();
    return v;
  }

  @Test
  void everyShippedConfigValidates() throws IOException {
    JsonSchema standard = schema();
    JsonSchema withAcme = schema("--plugins", "../plugins/example/target/plugin");
    List<Path> configs;
    try (Stream<Path> files = Files.list(Path.of("."))) {
      configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(configs).hasSizeGreaterThanOrEqualTo(11);
    for (Path config : configs) {
      String text = Files.readString(config);
      if (config.getFileName().toString().equals("digits-sweep.yaml")) text = merged("digits-mlp.yaml", text); // an overlay
      JsonSchema schema = config.getFileName().toString().equals("digits-acme.yaml") ? withAcme : standard;
      assertThat(schema.validate(json(text))).as(config.toString()).isEmpty();
    }
  }

  /** {@code overlay}'s top-level sections on top of {@code base}'s, as the loader merges a second file. */
  private static String merged(String base, String overlay) throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, Object> tree = new LinkedHashMap<>(yaml.<Map<String, Object>>load(Files.readString(Path.of(base))));
    tree.putAll(yaml.<Map<String, Object>>load(overlay));
    return yaml.dump(tree);
  }

  @Test
  void aMisspelledTypeAnUnknownKeyAndAWrongTypeAreRefused() throws IOException {
    JsonSchema schema = schema();
    assertThat(messages(schema, digits("- {type: dense, units: 10}", "- {type: dens, units: 10}")))
        .anyMatch(m -> m.startsWith("$.model.layers[3]"));
    assertThat(messages(schema, digits("- {type: dense, units: 10}", "- {type: dense, unitz: 10}")))
        .anyMatch(m -> m.contains("unitz"));
    assertThat(messages(schema, digits("epochs: 40", "epochs: forty")))
        .anyMatch(m -> m.startsWith("$.training.epochs"));
    assertThat(messages(schema, digits("lr: 0.05", "lr: -0.05")))
        .anyMatch(m -> m.startsWith("$.optimizer.lr"));
    assertThat(messages(schema, digits("training:", "trainig:"))).anyMatch(m -> m.contains("trainig"));
    // an environment reference stands for any value until it is resolved
    assertThat(messages(schema, digits("epochs: 40", "epochs: '${env:EPOCHS:-40}'"))).isEmpty();
  }

  /** The digits MLP config with one edit. */
  private static String digits(String from, String to) throws IOException {
    String text = Files.readString(Path.of("digits-mlp.yaml"));
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  private static List<String> messages(JsonSchema schema, String yaml) {
    Set<ValidationMessage> found = schema.validate(json(yaml));
    return found.stream().map(ValidationMessage::getMessage).toList();
  }

  /**
   * The corpus's bad configs that need more than a schema sees: the data, the model's shapes, several
   * values together, a name's spelling rules, or duplicate keys (which the YAML parser merges). Every
   * other config error of the corpus (wrong keys, names, types, single-value bounds) the schema refuses.
   */
  private static final Set<String> VALIDATE_ALONE = Set.of(
      "name with a slash", "name of 5000 characters", "name dot-dot",
      "training epochs: 2, batch_size: 5000", "training epochs: 2, epochs: 3",
      "layer {type: dense, units: 4, activation: {type: dropout, rate: 0.5}}",
      "layer {type: conv2d, filters: 4, kernel_size: 3}", "layer {type: max_pool2d, kernel_size: 2}",
      "layer {type: reshape, shape: [-1, -1]}", "layer {type: reshape, shape: [7, 7]}", "layer {type: add}", "layer {type: concat}",
      "layer {type: dense, units: 4, inputs: [nowhere]}", "layer {type: dense, units: 100000, init: {type: uniform, low: 1, high: 0}}",
      "layer {type: dense, units: 2000000000}",
      "schedule {type: multistep, milestones: [5, 3]}", "schedule {type: multistep, milestones: [-3, 5]}",
      "schedule {type: reduce_on_plateau, monitor: validation_acc}", "metrics [loss, auc]", "metrics [{type: top_k_accuracy, k: 20}]",
      "callbacks [{type: early_stopping, monitor: validation_loss}]", "callbacks [{type: early_stopping, monitor: train_los}]",
      "nll without log_softmax", "bce on ten outputs", "softmax before softmax_cross_entropy", "too few classes", "mse on class indices",
      "empty layers", "unused branch", "duplicate layer names", "add of different shapes", "conv2d on flat features",
      "a padded sequence into conv1d",
      "split not adding up", "csv path a device", "csv delimiter of two", "min_max inverted", "augment on flat data",
      "validation source and fraction", "duplicate top-level key", "not utf-8", "idx without labels");

  @Test
  void theCorpusConfigErrorsASchemaCanSeeAreRefused() throws IOException {
    JsonSchema schema = schema();
    List<String> refused = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    for (BadInputCorpusTest.Case c : BadInputCorpusTest.CASES) {
      if (c.exit() != 2 || c.files().size() != 1) continue; // config errors only, not data errors
      JsonNode tree;
      try {
        tree = json(new String(c.files().get("exp.yaml"), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        continue; // not YAML at all: the parser refuses it before any schema
      }
      (schema.validate(tree).isEmpty() ? accepted : refused).add(c.name());
    }
    assertThat(accepted).containsExactlyInAnyOrderElementsOf(VALIDATE_ALONE.stream().filter(n -> !refused.contains(n)).toList());
    assertThat(refused).doesNotContainAnyElementsOf(VALIDATE_ALONE).hasSizeGreaterThan(60);
  }
}
