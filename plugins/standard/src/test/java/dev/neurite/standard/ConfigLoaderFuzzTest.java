package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neurite.config.ConfigException;
import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The config loader (YAML composition, merging, binding every built-in component's parameters) on
 * arbitrary bytes: it either loads or throws a {@link ConfigException} (or, for a component that
 * refuses its values, a {@link NeuriteException}) with a bounded message; never anything else.
 * {@code mvn verify} runs the seed configs in {@code ConfigLoaderFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn test -pl plugins/standard -Dtest=ConfigLoaderFuzzTest} fuzzes (docs/hardening.md).
 */
class ConfigLoaderFuzzTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));
  private static final Path FILE;

  static {
    try {
      FILE = Files.createTempFile("neurite-fuzz", ".yaml");
      FILE.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void loadsOrReportsAConfigError(byte[] yaml) throws IOException {
    Files.write(FILE, yaml);
    try {
      new ExperimentLoader(REGISTRY).load(List.of(FILE), List.of(), name -> null);
    } catch (ConfigException e) {
      assertThat(e.errors()).isNotEmpty();
      assertThat(e.getMessage().length()).isLessThan(64 * 1024); // every error at once, each bounded
      e.errors().forEach(err -> assertThat(err.toString().length()).as(err.toString()).isLessThan(4096));
    } catch (NeuriteException e) {
      assertThat(e.getMessage().length()).isLessThan(4096);
    }
  }
}
