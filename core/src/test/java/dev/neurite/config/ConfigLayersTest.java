package dev.neurite.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.neurite.inject.ComponentRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several config files merged in order, then --set overrides. */
class ConfigLayersTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new TestPlugin()));
  @TempDir Path dir;

  private static final String BASE = """
      name: test
      data:
        source: {type: table, path: data/t.csv}
      model:
        layers:
          - identity
          - {type: scaled, units: 3}
      loss: zero
      optimizer: {type: noop, lr: 0.1}
      training: {epochs: 2, batch_size: 8}
      """;

  private Path write(String name, String yaml) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, yaml);
    return f;
  }

  private LoadedExperiment load(List<Path> files, String... sets) {
    return new ExperimentLoader(REGISTRY).load(files, List.of(sets), name -> null);
  }

  @Test
  void laterFilesMergeMappingsKeyByKeyAndReplaceEverythingElse() throws IOException {
    Path base = write("base.yaml", BASE);
    Path overlay = write("sub/fast.yaml", """
        training: {epochs: 5}
        optimizer: {lr: 0.5}
        model:
          layers: [identity]
        data:
          source: {path: other.csv}
        """);
    LoadedExperiment l = load(List.of(base, overlay));
    assertThat(l.spec().training().epochs()).isEqualTo(5);
    assertThat(l.spec().training().batchSize()).isEqualTo(8); // kept from the base
    assertThat(l.resolved().get("optimizer")).isEqualTo(Map.of("type", "noop", "lr", 0.5));
    assertThat(l.spec().model().layers()).hasSize(1); // a list replaces the earlier list
    // a relative path resolves against the folder of the file that wrote it
    assertThat(((TestPlugin.Table) l.spec().data().source()).path).isEqualTo(dir.resolve("sub/other.csv"));
    assertThat(l.positionOf("training.epochs")).isEqualTo(new Position(overlay.toString(), 1, 20));
    assertThat(l.positionOf("training.batch_size")).isEqualTo(new Position(base.toString(), 10, 35));
  }

  @Test
  void setOverridesAnyPathWithAYamlValueAndTheRunRecordsIt() throws IOException {
    Path base = write("base.yaml", BASE);
    LoadedExperiment l = load(List.of(base), "training.epochs=7", "model.layers[1].units=9", "optimizer={type: noop, lr: 0.01}",
        "loss.type=zero", "seed=3");
    assertThat(l.spec().training().epochs()).isEqualTo(7);
    assertThat(((TestPlugin.Scaled) l.spec().model().layers().get(1).layer()).params.units()).isEqualTo(9);
    assertThat(l.spec().seed()).isEqualTo(3);
    assertThat(l.resolvedYaml()).contains("epochs: 7").contains("units: 9").contains("lr: 0.01");
    assertThat(l.overrides()).containsExactly("training.epochs=7", "model.layers[1].units=9", "optimizer={type: noop, lr: 0.01}",
        "loss.type=zero", "seed=3");
  }

  @Test
  void badOverridesAreErrorsNamingTheArgument() throws IOException {
    Path base = write("base.yaml", BASE);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(List.of(base), "model.layers[5].units=2", "epochs"));
    assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
        "model.layers has 2 items, so there is no [5]", "expected --set key.path=value, got 'epochs'");
    assertThat(e.errors().get(0).position().file()).isEqualTo("--set #1");

    // a value of the wrong type is reported where it was written: on the command line
    ConfigException wrongType = catchThrowableOfType(ConfigException.class, () -> load(List.of(base), "training.epochs=many"));
    assertThat(wrongType.errors()).containsExactly(new ConfigError(new Position("--set #1", 1, 1), "training.epochs",
        "expected a whole number, got 'many'"));
    ConfigException unknown = catchThrowableOfType(ConfigException.class, () -> load(List.of(base), "training.epoch=3"));
    assertThat(unknown.errors().get(0).message()).startsWith("unknown key 'epoch'");
  }

  @Test
  void strictDeterminismRefusesANondeterministicComponentAndRelaxedRecordsIt() throws IOException {
    Path racy = write("racy.yaml", BASE.replace("- identity", "- racy"));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(List.of(racy)));
    assertThat(e.errors()).containsExactly(new ConfigError(new Position(racy.toString(), 6, 7), "model.layers[0]",
        "racy is declared nondeterministic (sums in the order threads finish); determinism: strict (the default) refuses it. "
            + "Set determinism: relaxed to accept results that may differ from run to run"));
    LoadedExperiment relaxed = load(List.of(racy), "determinism=relaxed");
    assertThat(relaxed.nondeterministic()).containsExactly(Map.entry("model.layers[0]", "racy (sums in the order threads finish)"));
    assertThat(relaxed.resolved()).containsEntry("determinism", "relaxed");
    assertThat(load(List.of(write("base.yaml", BASE))).resolved()).containsEntry("determinism", "strict");
  }
}
