package dev.neurite.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.neurite.inject.ComponentRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLoaderTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new TestPlugin()));
  @TempDir Path dir;

  private static final String VALID = """
      name: test
      data:
        source: {type: table, path: data/t.csv}
      model:
        layers:
          - identity
          - {type: scaled, units: 3}
      loss: zero
      optimizer: {type: noop, lr: 0.1}
      training: {epochs: 2}
      """;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("exp.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private List<ConfigError> errors(String yaml) throws IOException {
    Path f = write(yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ExperimentLoader(REGISTRY).load(f));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e.errors();
  }

  @Test
  void bindsAValidConfigAndFillsEveryDefault() throws IOException {
    LoadedExperiment loaded = new ExperimentLoader(REGISTRY).load(write(VALID));
    ExperimentSpec spec = loaded.spec();
    assertThat(spec.seed()).isEqualTo(42);
    assertThat(spec.training().batchSize()).isEqualTo(32);
    TestPlugin.Scaled scaled = (TestPlugin.Scaled) spec.model().layers().get(1).layer();
    assertThat(scaled.params.rate()).isEqualTo(0.5);
    assertThat(scaled.params.mode()).isEqualTo(TestPlugin.Mode.PLAIN);
    assertThat(((TestPlugin.Table) spec.data().source()).path).isEqualTo(dir.resolve("data/t.csv").toAbsolutePath());

    Map<String, Object> resolved = loaded.resolved();
    assertThat(resolved.get("seed")).isEqualTo(42L);
    assertThat(resolved.get("training")).isEqualTo(Map.ofEntries(Map.entry("epochs", 2), Map.entry("batch_size", 32),
        Map.entry("shuffle", true), Map.entry("clip_value", 0.0), Map.entry("clip_norm", 0.0), Map.entry("prefetch", true),
        Map.entry("checkpoint_every", 1), Map.entry("checkpoint_every_steps", 0), Map.entry("keep_checkpoints", 2),
        Map.entry("divergence_factor", 10000.0), Map.entry("max_loss", 0.0), Map.entry("diagnostics", true), Map.entry("bptt", 0),
        Map.entry("gradient_groups", 1)));
    assertThat(resolved).containsEntry("schedule", null);
    assertThat(((Map<?, ?>) resolved.get("model")).get("layers")).isEqualTo(List.of("identity",
        Map.of("type", "scaled", "units", 3, "rate", 0.5, "mode", "plain", "init", Map.of("type", "fill", "value", 0.0))));
    assertThat(loaded.positionOf("model.layers[1].units")).isEqualTo(new Position(dir.resolve("exp.yaml").toString(), 7, 29));
  }

  @Test
  void theResolvedConfigLoadsBackToTheSameTree() throws IOException {
    LoadedExperiment first = new ExperimentLoader(REGISTRY).load(write(VALID));
    Path again = dir.resolve("resolved.yaml");
    Files.writeString(again, first.resolvedYaml());
    assertThat(new ExperimentLoader(REGISTRY).load(again).resolved()).isEqualTo(first.resolved());
  }

  @Test
  void misspelledTypeUnknownKeyAndWrongTypeAreAllReportedAtOnce() throws IOException {
    String file = dir.resolve("exp.yaml").toString();
    List<ConfigError> errors = errors(VALID
        .replace("- identity", "- identty")
        .replace("{type: scaled, units: 3}", "{type: scaled, unitz: 3, rate: lots}"));
    assertThat(errors).extracting(ConfigError::toString).containsExactly(
        file + ":6:7: model.layers[0]: unknown layer type 'identty'; did you mean 'identity'? Available: identity, racy, scaled",
        file + ":7:22: model.layers[1].unitz: unknown key 'unitz'; did you mean 'units'? (valid keys: units, rate, mode, init)",
        file + ":7:7: model.layers[1]: missing required key 'units' (outputs)",
        file + ":7:38: model.layers[1].rate: expected a number, got 'lots'");
  }

  @Test
  void outOfRangeValuesNameTheBound() throws IOException {
    assertThat(errors(VALID.replace("units: 3}", "units: 0, rate: 1.5}")))
        .extracting(ConfigError::path, ConfigError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("model.layers[1].units", "must be >= 1, got 0"),
            org.assertj.core.groups.Tuple.tuple("model.layers[1].rate", "must be >= 0 and <= 1, got 1.5"));
    assertThat(errors(VALID.replace("lr: 0.1", "lr: 0"))).extracting(ConfigError::message).containsExactly("must be > 0, got 0.0");
  }

  @Test
  void enumsListTheirValues() throws IOException {
    assertThat(errors(VALID.replace("units: 3}", "units: 3, mode: fancey}")))
        .extracting(ConfigError::message).containsExactly("expected one of plain, fancy, got 'fancey'; did you mean 'fancy'?");
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    List<ConfigError> errors = errors(VALID + "seed: 1\nseed: 2\n");
    assertThat(errors).extracting(ConfigError::path, ConfigError::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("seed", "duplicate key 'seed' (first given at line 11)"));
    assertThat(errors.get(0).position().line()).isEqualTo(12);
  }

  @Test
  void missingValuesAndWrongShapesOfNode() throws IOException {
    assertThat(errors(VALID.replace("training: {epochs: 2}", "training:\n  epochs:")))
        .extracting(ConfigError::toString).singleElement().asString()
        .endsWith(":11:10: training.epochs: a value is missing here (expected a whole number)");
    assertThat(errors(VALID.replace("- identity", "- [identity]")))
        .extracting(ConfigError::message).singleElement().asString()
        .startsWith("expected a layer: a name, or a mapping with 'type:'");
    assertThat(errors(VALID.replace("{type: scaled, units: 3}", "{units: 3}")))
        .extracting(ConfigError::message).containsExactly("a layer needs 'type:' naming one of: identity, racy, scaled");
  }

  @Test
  void recordValidationFailuresAreReportedWithTheirPosition() throws IOException {
    String yaml = VALID.replace("source: {type: table, path: data/t.csv}",
        "source: {type: table, path: data/t.csv}\n  split: {train: 0.7, test: 0.2}");
    assertThat(errors(yaml)).extracting(ConfigError::toString).singleElement().asString()
        .endsWith(":4:10: data.split: split fractions must add up to 1, but train 0.7 + validation 0.0 + test 0.2 = 0.9");
    assertThat(errors(VALID.replace("name: test", "name: my run"))).extracting(ConfigError::message)
        .containsExactly("name 'my run' may contain only letters, digits, '.', '_' and '-'");
  }

  @Test
  void tagsBeyondPlainYamlAreRefused() throws IOException {
    assertThat(errors(VALID.replace("name: test", "name: !!java.io.File test")))
        .extracting(ConfigError::message).singleElement().asString().contains("tag").contains("java.io.File");
    assertThat(errors(VALID.replace("name: test", "name: !custom test")))
        .extracting(ConfigError::message).singleElement().asString().contains("the tag !custom is not allowed");
  }

  @Test
  void syntaxErrorsPointAtTheProblem() throws IOException {
    List<ConfigError> errors = errors("name: test\nmodel:\n  layers: [identity\nloss: zero\n");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).startsWith("invalid YAML:");
    assertThat(errors.get(0).position().line()).isEqualTo(4);
  }

  @Test
  void aliasBombsAreStoppedByTheAliasLimit() throws IOException {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      yaml.append("]\n");
    }
    assertThat(errors(yaml.toString())).extracting(ConfigError::message).singleElement().asString()
        .contains("YAML rejected").contains("aliases");
  }

  @Test
  void nestingDepthAndSizeAreLimited() throws IOException {
    String deep = "name: " + "[".repeat(60) + "]".repeat(60) + "\n";
    assertThat(errors(deep)).extracting(ConfigError::message).singleElement().asString()
        .contains("YAML rejected").containsIgnoringCase("nesting depth");
    String huge = "name: test\n# " + "x".repeat(YamlFiles.MAX_CODE_POINTS) + "\n";
    assertThat(errors(huge)).extracting(ConfigError::message).singleElement().asString()
        .isEqualTo("the file is " + huge.length() + " bytes; a config may be at most 3145728 bytes (3 MiB)");
  }

  public static final class AcmeLayers extends dev.neurite.spi.NeuritePlugin {
    @Override
    protected void configure() {
      layer("acme:identity2", TestPlugin.Identity.class);
    }
  }

  public static final class OtherLayers extends dev.neurite.spi.NeuritePlugin {
    @Override
    protected void configure() {
      layer("other:identity2", TestPlugin.Identity.class);
    }
  }

  @Test
  void aBareNameTwoNamespacesShareIsAnErrorNotAChoice() throws IOException {
    ComponentRegistry two = ComponentRegistry.of(List.of(new TestPlugin(), new AcmeLayers(), new OtherLayers()));
    Path f = write(VALID.replace("- identity", "- identity2"));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ExperimentLoader(two).load(f));
    String where = dev.neurite.spi.ComponentType.sourceOf(AcmeLayers.class);
    assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
        "'identity2' is ambiguous: acme:identity2 (" + where + "), other:identity2 (" + where + "); write the full name");
    ComponentRegistry one = ComponentRegistry.of(List.of(new TestPlugin(), new AcmeLayers()));
    assertThat(new ExperimentLoader(one).load(f).resolved().toString()).contains("layers=[acme:identity2,");
  }

  @Test
  void emptyAndMissingFiles() throws IOException {
    assertThat(errors("")).extracting(ConfigError::message).singleElement().asString().startsWith("the file is empty");
    assertThatThrownBy(() -> new ExperimentLoader(REGISTRY).load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml:1:1: file not found");
    assertThat(errors("- just\n- a list\n")).extracting(ConfigError::message).singleElement().asString()
        .startsWith("an experiment file must be a mapping");
  }

  @Test
  void theExceptionMessageListsEveryError() throws IOException {
    Path f = write(VALID.replace("epochs: 2", "epochs: -1").replace("lr: 0.1", "lr: x"));
    assertThatThrownBy(() -> new ExperimentLoader(REGISTRY).load(f))
        .hasMessageStartingWith("2 errors in the config:\n")
        .hasMessageContaining("training.epochs: must be >= 1, got -1")
        .hasMessageContaining("optimizer.lr: expected a number, got 'x'");
  }

  @Test
  void aRecursiveAliasIsALocatedErrorNotAStackOverflow() throws IOException {
    String file = dir.resolve("exp.yaml").toString();
    assertThat(errors(VALID + "extra: &a [*a]\n")).extracting(ConfigError::toString)
        .containsExactly(file + ":11:8: a recursive alias: this node contains itself; anchors (&) may only be reused, not nested in themselves");
    assertThat(errors(VALID.replace("  layers:\n", "  layers: &l [*l]\n  more:\n"))).extracting(ConfigError::message)
        .containsExactly("a recursive alias: this node contains itself; anchors (&) may only be reused, not nested in themselves");
    // an anchor reused beside itself, not inside, is fine
    assertThat(new ExperimentLoader(REGISTRY).load(write(VALID.replace("{type: scaled, units: 3}", "&s {type: scaled, units: 3}\n    - *s")))
        .spec().model().layers()).hasSize(3);
  }

  @Test
  void aListLongerThanTheLimitIsRefusedBeforeItsItemsAreBound() throws IOException {
    String layers = "- identity\n".repeat(ConfigBinder.MAX_LIST + 1);
    String text = VALID.replace("    - identity\n    - {type: scaled, units: 3}\n", layers.indent(4));
    List<ConfigError> errors = errors(text);
    assertThat(errors).extracting(ConfigError::toString).containsExactly(dir.resolve("exp.yaml") + ":6:5: model.layers: a list of 10001 items; "
        + "a config list (layers included) may have at most 10000");
  }
}
