package dev.neurite.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.config.TestPlugin;
import dev.neurite.spi.BuildContext;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentPath;
import dev.neurite.spi.Layer;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.NoParams;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentRegistryTest {
  @Test
  void serviceLoaderFindsPluginsListedInMetaInfServices(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services/" + NeuritePlugin.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, "# a comment\n" + TestPlugin.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      ComponentRegistry registry = ComponentRegistry.discover(loader);
      assertThat(registry.plugins()).singleElement().isInstanceOf(TestPlugin.class);
      assertThat(registry.names(ComponentKind.LAYER)).containsExactly("identity", "racy", "scaled");
      assertThat(registry.find(ComponentKind.LAYER, "scaled").orElseThrow().doc()).isEqualTo("test layer");
      assertThat(registry.find(ComponentKind.LOSS, "scaled")).isEmpty();
    }
  }

  @Test
  void aServicesEntryNamingAMissingClassIsReported(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services/" + NeuritePlugin.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, "com.acme.MissingPlugin\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> ComponentRegistry.discover(loader)).isInstanceOf(NeuriteException.class)
          .hasMessage("a plugin on the class path: its META-INF/services/dev.neurite.spi.NeuritePlugin entry is broken: "
              + "dev.neurite.spi.NeuritePlugin: Provider com.acme.MissingPlugin not found");
    }
  }

  public static final class Rival extends NeuritePlugin {
    @Override
    protected void configure() {
      layer("identity", TestPlugin.Identity.class);
    }
  }

  @Test
  void twoPluginsClaimingOneNameFailNamingBoth() {
    String where = dev.neurite.spi.ComponentType.sourceOf(Rival.class);
    assertThatThrownBy(() -> ComponentRegistry.of(List.of(new TestPlugin(), new Rival())))
        .isInstanceOf(NeuriteException.class)
        .hasMessageContaining("layer 'identity' is registered by ")
        .hasMessageContaining(Rival.class.getName() + " (" + where + ")")
        .hasMessageContaining(TestPlugin.class.getName() + " (" + where + ")")
        .hasMessageContaining("namespaced name");
  }

  private static String plugin(String pkg, String layerName) {
    return "package " + pkg + ";\n"
        + "public final class Plugin extends dev.neurite.spi.NeuritePlugin {\n"
        + "  @Override protected void configure() { layer(\"" + layerName + "\", dev.neurite.config.TestPlugin.Identity.class); }\n"
        + "}\n";
  }

  @Test
  void twoJarsClaimingOneNameFailNamingBothJars(@TempDir Path dir) throws IOException {
    Path a = dev.neurite.testing.PluginJars.build(dir, "acme-layers.jar", java.util.Map.of("com.acme.Plugin", plugin("com.acme", "swish")),
        List.of("com.acme.Plugin"));
    Path b = dev.neurite.testing.PluginJars.build(dir, "other-layers.jar", java.util.Map.of("org.other.Plugin", plugin("org.other", "swish")),
        List.of("org.other.Plugin"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {a.toUri().toURL(), b.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> ComponentRegistry.discover(loader))
          .isInstanceOf(NeuriteException.class)
          .hasMessage("plugins conflict: layer 'swish' is registered by com.acme.Plugin (acme-layers.jar) and "
              + "org.other.Plugin (other-layers.jar). Remove one of the jars, or give one component a namespaced name such as 'acme:name'.");
    }
  }

  public static final class BadName extends NeuritePlugin {
    @Override
    protected void configure() {
      layer("Dense Layer", TestPlugin.Identity.class);
    }
  }

  @Test
  void badNamesAreRejectedWhenThePluginRegisters() {
    assertThatThrownBy(() -> ComponentRegistry.of(List.of(new BadName())))
        .isInstanceOf(NeuriteException.class)
        .hasMessageContaining(BadName.class.getName())
        .hasMessageContaining("component name 'Dense Layer' must be lower case");
  }

  /** A layer Guice cannot build: two constructors, neither marked @Inject. */
  public static final class Unbuildable implements Layer {
    public Unbuildable(int a) {}
    public Unbuildable(String b) {}
    public Shape build(Shape input, BuildContext ctx) { return input; }
    public Tensor forward(Tensor input, Pass pass) { return input; }
    public Tensor backward(Tensor g) { return g; }
  }

  public static final class Broken extends NeuritePlugin {
    @Override
    protected void configure() {
      layer("unbuildable", Unbuildable.class);
    }
  }

  @Test
  void aComponentGuiceCannotBuildIsReportedWithItsPluginAndJar() {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new Broken()));
    var type = registry.find(ComponentKind.LAYER, "unbuildable").orElseThrow();
    assertThatThrownBy(() -> registry.create(type, new NoParams(), "model.layers[0]", 1))
        .isInstanceOf(NeuriteException.class)
        .hasMessageContaining("plugin " + Broken.class.getName() + " (" + type.source() + ") cannot create layer 'unbuildable'");
  }

  /** Asks Guice for everything a component can have injected. */
  public static final class Curious implements Layer {
    final RandomStream random;
    final ComponentPath path;

    @Inject
    public Curious(RandomStream random, ComponentPath path) {
      this.random = random;
      this.path = path;
    }

    public Shape build(Shape input, BuildContext ctx) { return input; }
    public Tensor forward(Tensor input, Pass pass) { return input; }
    public Tensor backward(Tensor g) { return g; }
  }

  public static final class CuriousPlugin extends NeuritePlugin {
    @Override
    protected void configure() {
      layer("curious", Curious.class);
    }
  }

  @Test
  void componentsGetTheirOwnSeededStreamAndPathByInjection() {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new CuriousPlugin()));
    var type = registry.find(ComponentKind.LAYER, "curious").orElseThrow();
    Curious a = (Curious) registry.create(type, new NoParams(), "model.layers[0]", 42);
    Curious b = (Curious) registry.create(type, new NoParams(), "model.layers[1]", 42);
    Curious a2 = (Curious) registry.create(type, new NoParams(), "model.layers[0]", 42);
    assertThat(a.path.value()).isEqualTo("model.layers[0]");
    assertThat(a.random.nextLong()).isEqualTo(RandomStream.derive(42, "model.layers[0]").nextLong())
        .isEqualTo(a2.random.nextLong());
    assertThat(b.random.nextLong()).isEqualTo(RandomStream.derive(42, "model.layers[1]").nextLong());
  }
}
