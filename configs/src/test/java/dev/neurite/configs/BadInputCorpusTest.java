package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over 200 bad configs and bad data files, each run through the CLI as a user would: exit 2 for a
 * config error, 1 for a data error, one message under 4 KB without a stack trace or Java internals,
 * naming the file and the line (config: file:line:column) or the record.
 */
class BadInputCorpusTest {
  @TempDir static Path dir;

  static final String DIGITS = Path.of("data/digits.csv").toAbsolutePath().toString();

  /** The digits MLP, section by section: a case replaces, removes or adds sections. */
  static Map<String, String> sections() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("name", "corpus");
    s.put("seed", "42");
    s.put("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  split: {train: 0.75, test: 0.25}\n  transforms: [standardize]");
    s.put("model", "\n  layers:\n    - {type: dense, units: 64, init: he_normal}\n    - relu\n    - {type: dropout, rate: 0.1}\n    - {type: dense, units: 10}");
    s.put("loss", "softmax_cross_entropy");
    s.put("optimizer", "{type: sgd, lr: 0.05, momentum: 0.9}");
    s.put("regularizers", "\n  - {type: l2, lambda: 0.0001}");
    s.put("training", "{epochs: 2, batch_size: 32}");
    s.put("metrics", "[loss, accuracy]");
    return s;
  }

  static String yaml(Map<String, String> s) {
    StringBuilder b = new StringBuilder();
    s.forEach((k, v) -> b.append(k).append(":").append(v.startsWith("\n") ? "" : " ").append(v).append('\n'));
    return b.toString();
  }

  static String with(String key, String value) {
    Map<String, String> s = sections();
    if (value == null) s.remove(key);
    else s.put(key, value);
    return yaml(s);
  }

  /** One bad input: the files to write, the command (file names relative to the case's folder), what must come back. */
  record Case(String name, Map<String, byte[]> files, List<String> args, int exit, String fragment, String namedFile) {}

  static final List<Case> CASES = new ArrayList<>();

  static void config(String name, String yaml, String fragment) {
    CASES.add(new Case(name, Map.of("exp.yaml", yaml.getBytes(StandardCharsets.UTF_8)), List.of("validate", "exp.yaml"), 2, fragment, "exp.yaml"));
  }

  /** A config whose data cannot be read as it says: a data error (exit 1) at the source's line in the config. */
  static void dataConfig(String name, String yaml, String fragment) {
    CASES.add(new Case(name, Map.of("exp.yaml", yaml.getBytes(StandardCharsets.UTF_8)), List.of("validate", "exp.yaml"), 1, fragment, "exp.yaml"));
  }

  static void configBytes(String name, byte[] yaml, String fragment) {
    CASES.add(new Case(name, Map.of("exp.yaml", yaml), List.of("validate", "exp.yaml"), 2, fragment, "exp.yaml"));
  }

  /** A data file {@code file} read by the config's source {@code source} (which names it by its file name). */
  static void data(String name, String file, byte[] content, String source, int exit, String fragment) {
    Map<String, String> s = sections();
    s.put("data", "\n  source: " + source + "\n  split: {train: 0.5, test: 0.5}");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(file, content);
    files.put("exp.yaml", yaml(s).getBytes(StandardCharsets.UTF_8));
    CASES.add(new Case(name, files, List.of("validate", "exp.yaml"), exit, fragment, file));
  }

  static void csv(String name, String text, int exit, String fragment) {
    data(name, "d.csv", text.getBytes(StandardCharsets.UTF_8), "{type: csv, path: d.csv, label: y}", exit, fragment);
  }

  static void csvBytes(String name, byte[] bytes, String fragment) {
    data(name, "d.csv", bytes, "{type: csv, path: d.csv, label: y}", 1, fragment);
  }

  /** A language model whose last layer scores fewer tokens than the text's vocabulary holds: the window is named. */
  static void textModelTooSmall() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) text.append("the quick brown fox jumps over the lazy dog ").append(i).append('\n');
    Map<String, String> s = sections();
    s.put("data", "\n  source: {type: text, paths: [d.txt], tokens: characters, window: 16}\n  split: {train: 0.8, test: 0.2}");
    s.put("model", "\n  layers: [{type: embedding, vocabulary: 20, dimension: 8}, {type: lstm, units: 8, return_sequences: true}, {type: dense, units: 20}]");
    s.remove("regularizers");
    s.put("metrics", "[loss]");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("d.txt", text.toString().getBytes(StandardCharsets.UTF_8));
    files.put("exp.yaml", yaml(s).getBytes(StandardCharsets.UTF_8));
    CASES.add(new Case("text vocabulary above the model's classes", files, List.of("validate", "exp.yaml"), 2,
        "but the model scores 20 classes; the last layer needs units: ", "d.txt"));
  }

  /** A small well-formed CSV: x0, x1 and a class label y in 0..9, {@code rows} rows. */
  static String goodCsv(int rows) {
    StringBuilder b = new StringBuilder("x0,x1,y\n");
    for (int i = 0; i < rows; i++) b.append(i % 7).append(',').append(i % 5 * 0.5).append(',').append(i % 10).append('\n');
    return b.toString();
  }

  static String csvWithRow(int line, String row) {
    List<String> lines = new ArrayList<>(goodCsv(60).lines().toList());
    lines.set(line - 1, row);
    return String.join("\n", lines) + "\n";
  }

  static {
    // ---- required sections and the top level
    for (String key : List.of("name", "data", "model", "loss", "optimizer", "training")) {
      config("missing " + key, with(key, null), "'" + key + "'");
    }
    for (String[] typo : new String[][] {{"nmae", "name"}, {"sed", "seed"}, {"dat", "data"}, {"modle", "model"}, {"los", "loss"},
        {"optimiser", "optimizer"}, {"regularizer", "regularizers"}, {"trainig", "training"}, {"metric", "metrics"},
        {"callback", "callbacks"}, {"schedul", "schedule"}}) {
      String text = yaml(sections()).replaceFirst("(?m)^" + typo[1] + ":", typo[0] + ":");
      if (!text.contains(typo[0] + ":")) text = text + typo[0] + ": []\n";
      config("misspelled " + typo[1], text, "unknown key '" + typo[0] + "'");
    }
    config("name a list", with("name", "[a, b]"), "name");
    config("name with a slash", with("name", "a/b"), "may contain only letters");
    config("name of 5000 characters", with("name", "n".repeat(5000)), "at most 100");
    config("name dot-dot", with("name", "'..'"), "cannot name a run directory");
    config("seed text", with("seed", "lucky"), "seed");
    config("seed fraction", with("seed", "1.5"), "seed");
    config("seed huge", with("seed", "99999999999999999999999"), "seed");
    config("determinism unknown", with("determinism", "loose"), "expected one of strict, relaxed");

    // ---- training
    for (String[] t : new String[][] {{"epochs: ten", "expected a whole number"}, {"epochs: -1", "epochs"}, {"epochs: 0", "epochs"},
        {"epochs: 1.5", "epochs"}, {"epochs: 2, batch_size: 0", "batch_size"}, {"epochs: 2, batch_size: -5", "batch_size"},
        {"epochs: 2, batch_size: 1.5", "batch_size"}, {"epochs: 2, batch_size: 5000", "larger than the training split"},
        {"epochs: 2, shuffle: maybe", "shuffle"}, {"epochs: 2, clip_value: -1", "clip_value"}, {"epochs: 2, clip_norm: -1", "clip_norm"},
        {"epochs: 2, checkpoint_every: -1", "checkpoint_every"}, {"epochs: 2, keep_checkpoints: 0", "keep_checkpoints"},
        {"epochs: 2, checkpoint_every_steps: -3", "checkpoint_every_steps"}, {"epochs: 2, prefetch: 3", "prefetch"},
        {"epochs: 2, batchsize: 32", "unknown key 'batchsize'"}, {"epochs: 2, epochs: 3", "duplicate key"}}) {
      config("training " + t[0], with("training", "{" + t[0] + "}"), t[1]);
    }
    config("training a list", with("training", "[2, 32]"), "training");

    // ---- unknown component names, one per kind
    config("unknown layer", with("model", "\n  layers: [{type: dense, units: 64}, rleu, {type: dense, units: 10}]"), "unknown layer type 'rleu'");
    config("unknown loss", with("loss", "softmax_crossentropy"), "softmax_crossentropy");
    config("unknown optimizer", with("optimizer", "{type: adamm, lr: 0.1}"), "adamm");
    config("unknown schedule", with("schedule", "{type: cosin}"), "cosin");
    config("unknown regularizer", with("regularizers", "[{type: l3, lambda: 0.1}]"), "l3");
    config("unknown metric", with("metrics", "[loss, acuracy]"), "acuracy");
    config("unknown callback", with("callbacks", "[{type: early_stop}]"), "early_stop");
    config("unknown initializer", with("model", "\n  layers: [{type: dense, units: 10, init: he_norm}]"), "he_norm");
    config("unknown transform", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  transforms: [standardise]"),
        "standardise");
    config("unknown augmentation", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  augment: [flip]"), "flip");
    config("unknown data source", with("data", "\n  source: {type: parquet, path: x.parquet}"), "parquet");
    config("component without type", with("optimizer", "{lr: 0.1}"), "type");
    config("component type a number", with("optimizer", "{type: 3, lr: 0.1}"), "optimizer");

    // ---- component parameters
    String[][] layerParams = {
        {"{type: dense, units: 0}", "units"}, {"{type: dense, units: -4}", "units"}, {"{type: dense, units: many}", "units"},
        {"{type: dense, units: 1.5}", "units"}, {"{type: dense}", "missing required key 'units'"}, {"{type: dense, unit: 4}", "unknown key 'unit'"},
        {"{type: dense, units: 4, bias: sometimes}", "bias"}, {"{type: dense, units: 4, activation: relux}", "relux"},
        {"{type: dense, units: 4, activation: {type: dropout, rate: 0.5}}", "not an activation"},
        {"{type: dropout, rate: 1.5}", "rate"}, {"{type: dropout, rate: -0.1}", "rate"}, {"{type: dropout}", "rate"},
        {"{type: leaky_relu, negative_slope: steep}", "negative_slope"}, {"{type: elu, alpha: [1]}", "alpha"},
        {"{type: gelu, approximate: fast}", "approximate"}, {"{type: softplus, beta: 0}", "beta"},
        {"{type: conv2d, filters: 4, kernel_size: 3}", "conv2d"}, {"{type: max_pool2d, kernel_size: 2}", "pooling needs [channels, height, width] inputs"},
        {"{type: reshape, shape: [-1, -1]}", "only one dimension may be -1"}, {"{type: reshape, shape: [7, 7]}", "reshape"},
        {"{type: add}", "add needs at least two inputs"}, {"{type: concat}", "concat needs at least two inputs"},
        {"{type: dense, units: 4, inputs: [nowhere]}", "nowhere"}, {"{type: dense, units: 4, name: 'bad name'}", "name"},
        {"{type: batch_norm, momentum: 2}", "momentum"}, {"{type: layer_norm, eps: -1}", "eps"},
        {"{type: dense, units: 100000, init: {type: uniform, low: 1, high: 0}}", "init"},
        {"{type: dense, units: 4, init: {type: normal, std: -1}}", "std"},
        {"{type: dense, units: 2000000000}", "a tensor holds at most"},
    };
    for (String[] p : layerParams) {
      config("layer " + p[0], with("model", "\n  layers:\n    - {type: dense, units: 16}\n    - " + p[0] + "\n    - {type: dense, units: 10}"), p[1]);
    }
    String[][] optimizerParams = {
        {"{type: sgd, lr: -1}", "lr"}, {"{type: sgd, lr: 0}", "lr"}, {"{type: sgd, lr: fast}", "lr"}, {"{type: sgd}", "lr"},
        {"{type: sgd, lr: 0.1, momentum: 2}", "momentum"}, {"{type: sgd, lr: 0.1, nesterov: 1.5}", "nesterov"},
        {"{type: adam, lr: 0.1, beta1: 1.0}", "beta1"}, {"{type: adam, lr: 0.1, beta2: -0.1}", "beta2"}, {"{type: adam, lr: 0.1, eps: 0}", "eps"},
        {"{type: rmsprop, lr: 0.1, alpha: 2}", "alpha"}, {"{type: adamw, lr: .nan}", "lr"}, {"{type: adagrad, lr: .inf}", "lr"},
        {"{type: sgd, lr: 0.1, weight_decay: -1}", "weight_decay"}, {"{type: nadam, lr: 0.1, momentum_decay: -1}", "momentum_decay"},
    };
    for (String[] p : optimizerParams) config("optimizer " + p[0], with("optimizer", p[0]), p[1]);
    String[][] scheduleParams = {
        {"{type: step, step_size: 0}", "step_size"}, {"{type: step, step_size: 2, gamma: 0}", "gamma"},
        {"{type: multistep, milestones: [5, 3]}", "milestones must increase"}, {"{type: multistep, milestones: [-3, 5]}", "milestones must be"},
        {"{type: exponential, gamma: -1}", "gamma"}, {"{type: cosine, period: 0}", "period"},
        {"{type: reduce_on_plateau, monitor: validation_acc}", "validation_acc"}, {"{type: reduce_on_plateau, factor: 1.5}", "factor"},
        {"{type: linear_warmup, warmup: 0}", "warmup"}, {"{type: one_cycle, pct_start: 2}", "pct_start"}, {"{type: step, step_size: 2, unit: hour}", "unit"},
    };
    for (String[] p : scheduleParams) config("schedule " + p[0], with("schedule", p[0]), p[1]);
    String[][] regularizerParams = {
        {"[{type: l2, lambda: -1}]", "lambda"}, {"[{type: l1}]", "lambda"}, {"[{type: max_norm, max_value: 0}]", "max_value"},
        {"[{type: l2, lambda: 0.1, apply_to: everything}]", "apply_to"}, {"{type: l2, lambda: 0.1}", "regularizers"},
    };
    for (String[] p : regularizerParams) config("regularizers " + p[0], with("regularizers", p[0]), p[1]);
    String[][] metricParams = {
        {"[loss, auc]", "auc is for binary classifiers"}, {"[{type: top_k_accuracy, k: 20}]", "is not below the model's 10 outputs"},
        {"[{type: top_k_accuracy, k: 0}]", "k"}, {"[{type: f1, average: mean}]", "average"}, {"[{type: accuracy, threshold: high}]", "threshold"},
        {"loss", "metrics"},
    };
    for (String[] p : metricParams) config("metrics " + p[0], with("metrics", p[0]), p[1]);
    String[][] callbackParams = {
        {"[{type: early_stopping, monitor: validation_loss}]", "is not a column this run writes"},
        {"[{type: early_stopping, monitor: train_los}]", "did you mean 'train_loss'"},
        {"[{type: early_stopping, patience: 0}]", "patience"}, {"[{type: early_stopping, mode: lowest}]", "mode"},
        {"[{type: early_stopping, min_delta: -1}]", "min_delta"},
    };
    for (String[] p : callbackParams) config("callbacks " + p[0], with("callbacks", p[0]), p[1]);

    // ---- losses against the model
    config("nll without log_softmax", with("loss", "nll"), "nll takes log-probabilities");
    config("bce on ten outputs", with("loss", "binary_cross_entropy"), "loss");
    config("softmax before softmax_cross_entropy", with("model", "\n  layers: [{type: dense, units: 10}, softmax]"), "loss");
    config("too few classes", with("model", "\n  layers: [{type: dense, units: 3}]"), "the last layer needs units: 10");
    config("mse on class indices", with("loss", "mse"), "mse compares outputs and targets");
    config("huber delta", with("loss", "{type: huber, delta: 0}"), "delta");
    config("label smoothing above one", with("loss", "{type: softmax_cross_entropy, label_smoothing: 1.5}"), "label_smoothing");

    // ---- model structure
    config("empty layers", with("model", "\n  layers: []"), "at least one layer");
    config("model without layers", with("model", "{}"), "layers");
    config("layers a mapping", with("model", "\n  layers: {a: dense}"), "expected a list");
    config("unused branch", with("model", "\n  layers:\n    - {type: dense, units: 8, name: a}\n    - {type: dense, units: 8, inputs: [input]}\n"
        + "    - {type: dense, units: 10}"), "its output is not used");
    config("duplicate layer names", with("model", "\n  layers:\n    - {type: dense, units: 8, name: a}\n    - {type: dense, units: 10, name: a}"),
        "already used");
    config("add of different shapes", with("model", "\n  layers:\n    - {type: dense, units: 8, name: a}\n    - {type: dense, units: 9, name: b}\n"
        + "    - {type: add, inputs: [a, b]}\n    - {type: dense, units: 10}"), "one shape");
    config("conv2d on flat features", with("model", "\n  layers: [{type: conv2d, filters: 4, kernel_size: 3}, flatten, {type: dense, units: 10}]"),
        "conv2d");
    config("10001 layers", with("model", "\n  layers:\n" + "    - relu\n".repeat(10_001)), "at most 10000");

    // ---- data section
    config("split not adding up", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  split: {train: 0.5, test: 0.3}"), "split");
    config("split negative", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  split: {train: 1.2, test: -0.2}"), "test");
    config("split unknown key", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  split: {train: 0.5, tset: 0.5}"), "tset");
    config("csv without path", with("data", "\n  source: {type: csv, label: digit}"), "path");
    dataConfig("csv missing file", with("data", "\n  source: {type: csv, path: nowhere.csv, label: digit}"), "nowhere.csv");
    config("csv path a device", with("data", "\n  source: {type: csv, path: /dev/zero, label: digit}"), "is not a regular file");
    config("csv delimiter of two", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit, delimiter: ';;'}"), "delimiter");
    config("csv missing mode", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit, missing: guess}"), "missing");
    config("idx without labels", with("data", "\n  source: {type: idx, images: a.idx}"), "the source has no labels; training needs them");
    config("synthetic kind", with("data", "\n  source: {type: synthetic, kind: circles}"), "kind");
    config("one_hot zero classes", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  transforms: [{type: one_hot, classes: 0}]"), "classes");
    config("min_max inverted", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  transforms: [{type: min_max, min: 1, max: 0}]"),
        "max must be greater than min");
    config("augment on flat data", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  augment: [{type: random_flip}]"), "augment");
    config("validation source and fraction", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit}\n  split: {train: 0.5, validation: 0.5}\n"
        + "  validation: {type: csv, path: " + DIGITS + ", label: digit}"), "validation");
    dataConfig("csv label is a feature", with("data", "\n  source: {type: csv, path: " + DIGITS + ", label: digit, features: [digit, p0_0]}"), "is the label column");

    // ---- YAML itself
    config("tab indentation", yaml(sections()).replace("\n  source", "\n\tsource"), "invalid YAML");
    config("unclosed bracket", with("metrics", "[loss, accuracy"), "invalid YAML");
    config("unclosed quote", with("name", "'corpus"), "invalid YAML");
    config("bad indentation", yaml(sections()).replace("\n  split", "\n     split"), "invalid YAML");
    config("duplicate top-level key", yaml(sections()) + "loss: mse\n", "duplicate key");
    config("java class tag", with("optimizer", "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]"), "exp.yaml");
    config("custom tag", with("seed", "!seed 42"), "seed");
    config("recursive alias", yaml(sections()) + "extra: &a [*a]\n", "a recursive alias");
    config("billion laughs", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        + "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" + yaml(sections()), "exp.yaml");
    config("deep nesting", "name: " + "[".repeat(200) + "]".repeat(200) + "\n", "exp.yaml");
    config("empty file", "", "empty");
    config("only comments", "# nothing\n# here\n", "exp.yaml");
    config("a scalar root", "just text\n", "exp.yaml");
    config("a list root", "- name: x\n", "exp.yaml");
    config("null root value", with("loss", "~"), "loss");
    configBytes("not utf-8", ("name: caf\u00e9\n" + yaml(sections()).substring(yaml(sections()).indexOf('\n') + 1)).getBytes(StandardCharsets.ISO_8859_1),
        "UTF-8");
    config("over 3 MiB", "# " + "x".repeat(3 * 1024 * 1024 + 10) + "\n" + yaml(sections()), "3 MiB");
    config("environment variable unset", with("seed", "${NEURITE_CORPUS_UNSET_VARIABLE}"), "NEURITE_CORPUS_UNSET_VARIABLE");

    // ---- CSV data (exit 1 with the file and line, or 2 where the config does not fit the data)
    csv("csv not a number", csvWithRow(42, "3,x,1"), 1, "d.csv:42: column 'x1' (field 2): 'x' is not a finite number");
    csv("csv hexadecimal float", csvWithRow(7, "0x1p3,1,2"), 1, "d.csv:7: column 'x0' (field 1): '0x1p3'");
    csv("csv java float suffix", csvWithRow(9, "1f,1,2"), 1, "d.csv:9:");
    csv("csv NaN", csvWithRow(11, "NaN,1,2"), 1, "d.csv:11:");
    csv("csv infinity", csvWithRow(12, "3,Infinity,2"), 1, "d.csv:12:");
    csv("csv missing cell", csvWithRow(13, "3,,2"), 1, "d.csv:13:");
    csv("csv too many fields", csvWithRow(14, "3,1,2,4"), 1, "d.csv:14: expected 3 fields");
    csv("csv too few fields", csvWithRow(15, "3,1"), 1, "d.csv:15: expected 3 fields");
    csv("csv missing label", csvWithRow(16, "3,1,"), 1, "d.csv:16:");
    csv("csv float label", csvWithRow(42, "3,1,4.5"), 1, "d.csv line 42 has label 4.5");
    csv("csv negative label", csvWithRow(20, "3,1,-1"), 1, "d.csv line 20 has label -1.0");
    csv("csv label above the classes", csvWithRow(33, "3,1,12"), 2, "d.csv line 33) but the model scores 10 classes; the last layer needs units: 13");
    csv("csv label of 1e10", csvWithRow(8, "3,1,1e10"), 1, "the labels go up to 10000000000 (first at ");
    textModelTooSmall();
    config("a padded sequence into conv1d", with("model", "\n  layers:\n    - {type: embedding, vocabulary: 10, dimension: 4, padding_index: 0}"
        + "\n    - {type: conv1d, filters: 4, kernel_size: 3}\n    - global_max_pool1d\n    - {type: dense, units: 10}"),
        "model.layers[1]: its input is a padded sequence (the padding mask starts at model.layers[0])");
    csv("csv empty file", "", 1, "d.csv: the file is empty");
    csv("csv header only", "x0,x1,y\n", 1, "d.csv: the file has a header but no data rows");
    csv("csv duplicate header", "x0,x0,y\n" + goodCsv(40).substring(8), 1, "d.csv:1: the header names column 'x0' twice");
    csv("csv duplicate label header", "x0,y,y\n" + goodCsv(40).substring(8), 1, "d.csv:1: the header names column 'y' twice");
    csv("csv unclosed quote", csvWithRow(25, "\"3,1,2"), 1, "d.csv");
    csv("csv a 1 MB cell", csvWithRow(5, "x".repeat(1_000_000) + ",1,2"), 1, "(1000000 characters)");
    csv("csv a line of 2 MB", csvWithRow(5, "1".repeat(2_000_000) + ",1,2"), 1, "d.csv: line 5 is longer than 1048576 characters");
    csv("csv no label column", goodCsv(40).replace("x0,x1,y", "x0,x1,z"), 1, "no column named 'y'");
    Map<String, String> one = sections();
    one.put("data", "\n  source: {type: csv, path: d.csv, label: y}\n  split: {train: 0.5, test: 0.5}");
    CASES.add(new Case("csv one row leaves no training row", Map.of("d.csv", goodCsv(1).getBytes(StandardCharsets.UTF_8),
        "exp.yaml", yaml(one).getBytes(StandardCharsets.UTF_8)), List.of("validate", "exp.yaml"), 2, "the split leaves no training rows", "exp.yaml"));
    Map<String, String> small = sections();
    small.put("data", "\n  source: {type: csv, path: d.csv, label: y}\n  split: {train: 0.9, test: 0.1}");
    small.put("training", "{epochs: 2, batch_size: 2}");
    CASES.add(new Case("csv three rows leave the test split empty", Map.of("d.csv", goodCsv(3).getBytes(StandardCharsets.UTF_8),
        "exp.yaml", yaml(small).getBytes(StandardCharsets.UTF_8)), List.of("validate", "exp.yaml"), 2, "gives the test split no row", "exp.yaml"));
    for (int line : new int[] {2, 17, 61}) {
      byte[] bytes = csvWithRow(line, "3,1,2").getBytes(StandardCharsets.UTF_8);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int at = text.lines().limit(line - 1).mapToInt(l -> l.length() + 1).sum();
      bytes[at] = (byte) 0x93; // a cp1252 quote
      csvBytes("csv cp1252 byte at line " + line, bytes, "d.csv: line " + line + " is not valid UTF-8");
    }

    // ---- IDX data
    byte[] images = idx(0x08, new int[] {40, 4, 4}, 40 * 16, i -> i % 251);
    byte[] labels = idx(0x08, new int[] {40}, 40, i -> i % 10);
    idxCase("idx bad magic", images, idxBytes(0x0801_0203), "wrong magic number");
    idxCase("idx labels of three dimensions", images, images, "says 3 dimensions");
    idxCase("idx truncated header", images, new byte[] {0, 0, 8, 1, 0}, "truncated header");
    idxCase("idx truncated data", images, java.util.Arrays.copyOf(labels, 30), "the data ends in record 22");
    idxCase("idx truncated gzip", images, java.util.Arrays.copyOf(gzip(labels), gzip(labels).length - 10), "labels.idx");
    idxCase("idx count mismatch", images, idx(0x08, new int[] {39}, 39, i -> i % 10), "39 labels, but");
    idxCase("idx data after the records", images, concat(labels, new byte[] {1, 2}), "data continues after the 40 records");
    idxCase("idx label above the classes", images, idx(0x08, new int[] {40}, 40, i -> i == 17 ? 200 : i % 10), "labels.idx record 17 (from 0)");
    idxCase("idx negative dimension", images, idxBytes(0x0000_0801, -5), "must be positive");
    idxCase("idx empty", images, new byte[0], "empty");
    idxCase("idx image data truncated", java.util.Arrays.copyOf(images, 200), labels, "images.idx");
    idxCase("idx float labels", images, idxFloats(new float[40], 17, 0.5f), "record 17");

    // ---- npy data
    byte[] features = npy("<f4", "(40, 3)", 40 * 3 * 4);
    byte[] npyLabels = npy("<f4", "(40,)", 40 * 4);
    npyCase("npy not npy", "hello".getBytes(StandardCharsets.UTF_8), npyLabels, "not a .npy file");
    npyCase("npy version 9", concat(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0}, new byte[8]), npyLabels, "version 9");
    npyCase("npy object dtype", npy("|O", "(40, 3)", 40 * 3 * 8), npyLabels, "unsupported dtype");
    npyCase("npy complex dtype", npy("<c8", "(40, 3)", 40 * 3 * 8), npyLabels, "unsupported dtype");
    npyCase("npy fortran order", npyRaw("{'descr': '<f4', 'fortran_order': True, 'shape': (40, 3), }", 40 * 3 * 4), npyLabels, "Fortran order");
    npyCase("npy huge dimension", npy("<f4", "(1000000000000000, 3)", 0), npyLabels, "is not a list of dimensions");
    npyCase("npy truncated", java.util.Arrays.copyOf(features, features.length - 7), npyLabels, "truncated");
    npyCase("npy trailing bytes", concat(features, new byte[4]), npyLabels, "bytes after the data");
    npyCase("npy row count mismatch", features, npy("<f4", "(39,)", 39 * 4), "39 labels");
    npyCase("npy no shape", npyRaw("{'descr': '<f4', 'fortran_order': False, }", 0), npyLabels, "has no shape");
  }

  static void idxCase(String name, byte[] images, byte[] labels, String fragment) {
    Map<String, String> s = sections();
    s.put("data", "\n  source: {type: idx, images: images.idx, labels: labels.idx, layout: flat}\n  split: {train: 0.5, test: 0.5}");
    s.put("model", "\n  layers: [{type: dense, units: 10}]");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("images.idx", images);
    files.put("labels.idx", labels);
    files.put("exp.yaml", yaml(s).getBytes(StandardCharsets.UTF_8));
    int exit = fragment.contains("record 17 (from 0)") && !name.contains("float") ? 2 : 1;
    CASES.add(new Case(name, files, List.of("validate", "exp.yaml"), exit, fragment, name.contains("image") ? "images.idx" : "labels.idx"));
  }

  static void npyCase(String name, byte[] features, byte[] labels, String fragment) {
    Map<String, String> s = sections();
    s.put("data", "\n  source: {type: npy, features: x.npy, labels: y.npy}\n  split: {train: 0.5, test: 0.5}");
    s.put("model", "\n  layers: [{type: dense, units: 10}]");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("x.npy", features);
    files.put("y.npy", labels);
    files.put("exp.yaml", yaml(s).getBytes(StandardCharsets.UTF_8));
    CASES.add(new Case(name, files, List.of("validate", "exp.yaml"), 1, fragment, name.contains("mismatch") ? "y.npy" : "x.npy"));
  }

  static byte[] idx(int type, int[] dims, int values, java.util.function.IntUnaryOperator value) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values);
    b.putInt(0x0000_0000 | type << 8 | dims.length);
    for (int d : dims) b.putInt(d);
    for (int i = 0; i < values; i++) b.put((byte) value.applyAsInt(i));
    return b.array();
  }

  static byte[] idxFloats(float[] labels, int at, float value) {
    labels[at] = value;
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * labels.length);
    b.putInt(0x0000_0D01).putInt(labels.length);
    for (float f : labels) b.putFloat(f);
    return b.array();
  }

  static byte[] idxBytes(int... ints) {
    ByteBuffer b = ByteBuffer.allocate(4 * ints.length);
    for (int i : ints) b.putInt(i);
    return b.array();
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] npy(String descr, String shape, int dataBytes) {
    return npyRaw("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", dataBytes);
  }

  static byte[] npyRaw(String dict, int dataBytes) {
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
    return b.array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static final Pattern CONFIG_LOCATION = Pattern.compile("exp\\.yaml:\\d+:\\d+");
  private static final Pattern DATA_LOCATION = Pattern.compile(":\\d+|line \\d+|record \\d+|row \\d+");

  @TestFactory
  Stream<DynamicTest> everyBadInputIsOneLocatedMessage() {
    assertThat(CASES.size()).as("cases in the corpus").isGreaterThanOrEqualTo(200);
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path caseDir = Files.createDirectories(dir.resolve("case-" + CASES.indexOf(c)));
      for (Map.Entry<String, byte[]> f : c.files().entrySet()) Files.write(caseDir.resolve(f.getKey()), f.getValue());
      String[] args = c.args().stream().map(a -> c.files().containsKey(a) ? caseDir.resolve(a).toString() : a).toArray(String[]::new);
      CommandLineTest.Result r = CommandLineTest.run(args);
      String err = r.err();
      assertThat(r.code()).as(err).isEqualTo(c.exit());
      assertThat(err).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error")
          .doesNotContain("java.").contains(c.fragment());
      assertThat(err.length()).as(err).isLessThan(4096);
      assertThat(err).contains(caseDir.resolve(c.namedFile()).toString());
      assertThat(c.exit() == 2 && c.namedFile().equals("exp.yaml") ? CONFIG_LOCATION.matcher(err).find() : DATA_LOCATION.matcher(err).find())
          .as("names the line or record: " + err).isTrue();
    }));
  }

  /** A run file replaced by a hostile one: the file in the run, its new bytes (from the intact run's tensors), what must be said. */
  record RunCase(String name, String file, java.util.function.Function<Map<String, dev.neurite.tensor.Tensor>, byte[]> bytes, String fragment) {}

  /** The safetensors bytes of {@code tensors} with their header text changed by {@code edit} (keeping the header's length field right). */
  static byte[] editedHeader(Map<String, dev.neurite.tensor.Tensor> tensors, java.util.function.UnaryOperator<String> edit) {
    byte[] good = dev.neurite.run.SafeTensors.encode(tensors, Map.of());
    int headerLen = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] header = edit.apply(new String(good, 8, headerLen, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + good.length - 8 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).put(good, 8 + headerLen, good.length - 8 - headerLen);
    return b.array();
  }

  static Map<String, dev.neurite.tensor.Tensor> changed(Map<String, dev.neurite.tensor.Tensor> tensors, String key,
                                                         dev.neurite.tensor.Tensor replacement) {
    Map<String, dev.neurite.tensor.Tensor> out = new LinkedHashMap<>(tensors);
    if (replacement == null) out.remove(key);
    else out.put(key, replacement);
    return out;
  }

  static dev.neurite.tensor.Tensor withValue(dev.neurite.tensor.Tensor t, float v) {
    float[] d = t.data().clone();
    d[d.length / 2] = v;
    return dev.neurite.tensor.Tensor.wrap(d, t.shape());
  }

  static final String W = "weights.safetensors";
  static final String T = "transforms.safetensors";

  static List<RunCase> runCases() {
    List<RunCase> c = new ArrayList<>();
    c.add(new RunCase("NaN weight", W, t -> dev.neurite.run.SafeTensors.encode(changed(t, "layers.0.weight", withValue(t.get("layers.0.weight"), Float.NaN)), Map.of()),
        "tensor 'layers.0.weight' holds NaN at element"));
    c.add(new RunCase("infinite bias", W, t -> dev.neurite.run.SafeTensors.encode(changed(t, "layers.0.bias", withValue(t.get("layers.0.bias"), Float.NEGATIVE_INFINITY)), Map.of()),
        "tensor 'layers.0.bias' holds -Infinity"));
    c.add(new RunCase("running_mean of the wrong shape", W, t -> dev.neurite.run.SafeTensors.encode(changed(t, "layers.1.running_mean",
        dev.neurite.tensor.Tensor.zeros(3)), Map.of()), "layers.1.running_mean has shape [3], the model needs [16]"));
    c.add(new RunCase("running_var missing", W, t -> dev.neurite.run.SafeTensors.encode(changed(t, "layers.1.running_var", null), Map.of()),
        "layers.1.running_var is missing"));
    c.add(new RunCase("weight of the wrong shape", W, t -> dev.neurite.run.SafeTensors.encode(changed(t, "layers.0.weight",
        dev.neurite.tensor.Tensor.zeros(16, 63)), Map.of()), "layers.0.weight has shape [16, 63], the model needs [16, 64]"));
    c.add(new RunCase("overlapping data offsets", W, t -> editedHeader(t, h -> h.replaceFirst("\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}\\}",
        "\"data_offsets\":[$1,$2]}}").replace("\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":[4096,4160]}",
        "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":[4032,4096]}")), "(overlapping data)"));
    c.add(new RunCase("metadata a list", W, t -> editedHeader(t, h -> h.replaceFirst("\\{", "{\"__metadata__\":[1],")), "__metadata__ must be an object of strings"));
    c.add(new RunCase("metadata value an object", W, t -> editedHeader(t, h -> h.replaceFirst("\\{", "{\"__metadata__\":{\"format\":{}},")),
        "__metadata__ entry 'format' is not a string"));
    c.add(new RunCase("shape of text", W, t -> editedHeader(t, h -> h.replace("\"shape\":[16,64]", "\"shape\":[\"a\",64]")), "dimensions must be integers"));
    c.add(new RunCase("dtype missing", W, t -> editedHeader(t, h -> h.replaceFirst("\"dtype\":\"F32\",", "")), "has no dtype"));
    c.add(new RunCase("dtype F16", W, t -> editedHeader(t, h -> h.replaceFirst("\"dtype\":\"F32\"", "\"dtype\":\"F16\"")), "only F32 is supported"));
    c.add(new RunCase("offsets of text", W, t -> editedHeader(t, h -> h.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[\"0\",")),
        "that do not fit"));
    c.add(new RunCase("a tensor not an object", W, t -> editedHeader(t, h -> h.replaceFirst("\"layers.0.weight\":\\{[^}]*\\}", "\"layers.0.weight\":7")),
        "tensor 'layers.0.weight' is not an object"));
    c.add(new RunCase("header not JSON", W, t -> editedHeader(t, h -> h.substring(0, h.length() / 2)), "its header is not a JSON object"));
    c.add(new RunCase("header not UTF-8", W, t -> {
      byte[] b = dev.neurite.run.SafeTensors.encode(t, Map.of());
      b[12] = (byte) 0xFE;
      return b;
    }, "its header is not valid UTF-8"));
    c.add(new RunCase("header length beyond the file", W, t -> {
      byte[] b = dev.neurite.run.SafeTensors.encode(t, Map.of());
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
      return b;
    }, "header length 1099511627776 does not fit"));
    c.add(new RunCase("empty weights", W, t -> new byte[0], "not a safetensors file"));
    c.add(new RunCase("trailing bytes", W, t -> concat(dev.neurite.run.SafeTensors.encode(t, Map.of()), new byte[12]), "the rest is not part of any tensor"));
    c.add(new RunCase("transforms std of the wrong shape", T, t -> dev.neurite.run.SafeTensors.encode(changed(t, "transforms.0.std",
        dev.neurite.tensor.Tensor.zeros(5)), Map.of()), "standardize: the saved mean has shape [64] but std has [5]"));
    c.add(new RunCase("transforms mean missing", T, t -> dev.neurite.run.SafeTensors.encode(changed(t, "transforms.0.mean", null), Map.of()),
        "standardize: the saved state lacks mean or std"));
    c.add(new RunCase("transforms NaN", T, t -> dev.neurite.run.SafeTensors.encode(changed(t, "transforms.0.mean", withValue(t.get("transforms.0.mean"), Float.NaN)),
        Map.of()), "tensor 'transforms.0.mean' holds NaN"));
    c.add(new RunCase("transforms both of another width", T, t -> {
      Map<String, dev.neurite.tensor.Tensor> m = changed(t, "transforms.0.std", dev.neurite.tensor.Tensor.zeros(5));
      return dev.neurite.run.SafeTensors.encode(changed(m, "transforms.0.mean", dev.neurite.tensor.Tensor.zeros(5)), Map.of());
    }, "standardize was fitted on 5 features but got 64"));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> everyHostileRunFileIsNamedWithItsTensor() throws IOException {
    Path cfg = dir.resolve("bn.yaml");
    Files.writeString(cfg, with("model", "\n  layers: [{type: dense, units: 16}, batch_norm, relu, {type: dense, units: 10}]"));
    Path intact = dir.resolve("intact-run");
    ShippedConfigsTest.train(cfg, intact);
    Map<String, Map<String, dev.neurite.tensor.Tensor>> saved = Map.of(W, dev.neurite.run.SafeTensors.read(intact.resolve(W)),
        T, dev.neurite.run.SafeTensors.read(intact.resolve(T)));
    List<RunCase> cases = runCases();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path run = dir.resolve("run-" + cases.indexOf(c));
      Files.createDirectories(run);
      try (Stream<Path> files = Files.list(intact)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, run.resolve(f.getFileName()));
      }
      Files.write(run.resolve(c.file()), c.bytes().apply(saved.get(c.file())));
      CommandLineTest.Result r = CommandLineTest.run("evaluate", run.toString());
      String err = r.err();
      assertThat(r.code()).as(err).isEqualTo(1);
      assertThat(err).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error")
          .doesNotContain("java.").contains(c.fragment()).contains(run.resolve(c.file()).toString());
      assertThat(err.length()).isLessThan(4096);
    }));
  }
}
