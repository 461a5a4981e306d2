package com.acme.neurite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.check.Check;
import dev.neurite.check.PluginChecks;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.StepInfo;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin contract fails the mistakes it is there for, each with a message that says what to do. */
class PluginChecksCatchBugsTest {
  /** Takes the built-in name 'dense'. */
  public static final class Clashing extends NeuritePlugin {
    @Override
    protected void configure() {
      layer("dense", Mish.class);
    }
  }

  /** Registers an optimizer whose required parameter its missing @Example would have to give. */
  public static final class Careless extends NeuritePlugin {
    @Override
    protected void configure() {
      optimizer("careless:lion", Lion.Params.class, UnexampledLion.class);
    }
  }

  /** Lion without an @Example: its required 'lr' has no value to build with. */
  public static final class UnexampledLion implements Optimizer {
    private final Lion lion;

    @jakarta.inject.Inject
    public UnexampledLion(Lion.Params params) {
      lion = new Lion(params);
    }

    @Override
    public void step(List<Param> params, StepInfo step) {
      lion.step(params, step);
    }
  }

  @TempDir
  Path dir;

  @Test
  void theAcmePluginPassesOnItsOwnClassPath() {
    Map<String, Optional<String>> r = run(getClass().getClassLoader(), AcmePlugin.class);
    assertThat(r).containsOnlyKeys("is listed in META-INF/services/dev.neurite.spi.NeuritePlugin",
        "loads beside the built-in plugin with unique component names",
        "layer 'acme:mish' builds from its @Example and passes its contract",
        "optimizer 'acme:lion' builds from its @Example and passes its contract",
        "loss 'acme:log_cosh' builds from its @Example and passes its contract",
        "regularizer 'acme:orthogonality' builds from its @Example and passes its contract");
    assertThat(r.values()).allMatch(Optional::isEmpty);
  }

  @Test
  void aPluginMissingFromTheServicesFileFails() throws IOException {
    Map<String, Optional<String>> r = run(listing("dev.neurite.standard.StandardPlugin"), AcmePlugin.class);
    assertThat(r.get("is listed in META-INF/services/dev.neurite.spi.NeuritePlugin")).get().asString()
        .isEqualTo("ServiceLoader does not find com.acme.neurite.AcmePlugin: add its name as a line of "
            + "src/main/resources/META-INF/services/dev.neurite.spi.NeuritePlugin (found: dev.neurite.standard.StandardPlugin)");
  }

  @Test
  void aNameTakenFromTheBuiltInsFails() throws IOException {
    Map<String, Optional<String>> r = run(listing("dev.neurite.standard.StandardPlugin", Clashing.class.getName()), Clashing.class);
    assertThat(r.get("is listed in META-INF/services/dev.neurite.spi.NeuritePlugin")).isEmpty();
    assertThat(r.get("loads beside the built-in plugin with unique component names")).get().asString()
        .startsWith("plugins conflict: layer 'dense' is registered by ")
        .contains("com.acme.neurite.PluginChecksCatchBugsTest$Clashing", "dev.neurite.standard.StandardPlugin");
  }

  @Test
  void withoutTheBuiltInsNamesCannotBeChecked() throws IOException {
    Map<String, Optional<String>> r = run(listing(AcmePlugin.class.getName()), AcmePlugin.class);
    assertThat(r.get("loads beside the built-in plugin with unique component names")).get().asString()
        .contains("add the dependency dev.neurite:neurite-standard with <scope>test</scope>");
  }

  @Test
  void aComponentThatCannotBeBuiltFromItsExampleFails() throws IOException {
    Map<String, Optional<String>> r = run(listing("dev.neurite.standard.StandardPlugin", Careless.class.getName()), Careless.class);
    assertThat(r.get("optimizer 'careless:lion' builds from its @Example and passes its contract")).get().asString()
        .startsWith("create from its @Example: missing required key 'lr'");
  }

  private static Map<String, Optional<String>> run(ClassLoader loader, Class<? extends NeuritePlugin> plugin) {
    Map<String, Optional<String>> outcomes = new LinkedHashMap<>();
    Check.Sequence sequence = new Check.Sequence();
    for (Check c : PluginChecks.of(loader, plugin)) outcomes.put(c.name(), sequence.run(c).failure());
    return outcomes;
  }

  /** A class loader whose services file lists exactly {@code plugins}. */
  private ClassLoader listing(String... plugins) throws IOException {
    Path services = Files.writeString(dir.resolve("services"), String.join("\n", plugins) + "\n");
    URL url = services.toUri().toURL();
    return new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        if (name.equals("META-INF/services/" + NeuritePlugin.class.getName())) return Collections.enumeration(List.of(url));
        return super.getResources(name);
      }
    };
  }
}
