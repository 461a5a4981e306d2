package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.testing.PluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party jars on the plugin path, as a user installs them: one built with plain javac outside
 * the reactor, the example plugin's jar, and three broken ones that must not stop the others.
 */
class PluginPathTest {
  @TempDir Path tmp;
  Path plugins;

  private static final String SWISH = """
      package ext;
      import dev.neurite.spi.*;
      import dev.neurite.tensor.*;
      @Doc("x * sigmoid(x)")
      public final class Swish implements Layer {
        private Tensor in, out, grad;
        public Shape build(Shape input, BuildContext ctx) { return input; }
        public Tensor forward(Tensor x, Pass pass) {
          in = x; out = Tensor.reuse(out, x.shape());
          for (int i = 0; i < x.size(); i++) { double v = x.get(i); out.set(i, (float) (v / (1 + Math.exp(-v)))); }
          return out;
        }
        public Tensor backward(Tensor g) {
          grad = Tensor.reuse(grad, g.shape());
          for (int i = 0; i < g.size(); i++) {
            double v = in.get(i), s = 1 / (1 + Math.exp(-v));
            grad.set(i, (float) (g.get(i) * (s + v * s * (1 - s))));
          }
          return grad;
        }
      }
      """;

  /** A layer whose constructor always throws. */
  private static final String BOOM = """
      package boom;
      import dev.neurite.spi.*;
      import dev.neurite.tensor.*;
      public final class Boom implements Layer {
        public Boom() { throw new IllegalStateException("out of licences"); }
        public Shape build(Shape input, BuildContext ctx) { return input; }
        public Tensor forward(Tensor x, Pass pass) { return x; }
        public Tensor backward(Tensor g) { return g; }
      }
      """;

  private static String plugin(String pkg, String body) {
    return "package " + pkg + ";\npublic final class Plugin extends dev.neurite.spi.NeuritePlugin {\n" + body + "\n}\n";
  }

  @BeforeEach
  void install() throws IOException {
    plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path ext = PluginJars.build(work, "ext-swish.jar", Map.of(
        "ext.Swish", SWISH,
        "ext.Plugin", plugin("ext", "  protected void configure() { layer(\"ext:swoosh\", Swish.class); }")), List.of("ext.Plugin"));
    Files.move(ext, plugins.resolve("ext-swish.jar"));
    Path missing = PluginJars.build(work, "missing-class.jar", Map.of(), List.of("nowhere.Plugin"));
    Files.move(missing, plugins.resolve("missing-class.jar"));
    Path throwing = PluginJars.build(work, "throwing.jar", Map.of(
        "bad.Plugin", plugin("bad", "  public Plugin() { throw new IllegalStateException(\"license expired\"); }\n"
            + "  protected void configure() {}")), List.of("bad.Plugin"));
    Files.move(throwing, plugins.resolve("throwing.jar"));
    Path boom = PluginJars.build(work, "boom.jar", Map.of("boom.Boom", BOOM,
        "boom.Plugin", plugin("boom", "  protected void configure() { layer(\"boom:layer\", Boom.class); }")), List.of("boom.Plugin"));
    Files.move(boom, plugins.resolve("boom.jar"));
    Files.writeString(plugins.resolve("notes.jar"), "not a zip file");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(plugins.resolve("library.jar")))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("README.txt"));
      zip.write("a dependency, not a plugin".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private Path config(String activation) throws IOException {
    Path cfg = tmp.resolve("swish.yaml");
    Files.writeString(cfg, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("    - relu", "    - " + activation)
        .replace("epochs: 40", "epochs: 3")
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    return cfg;
  }

  @Test
  void aJarBuiltOutsideTheReactorTrainsWhileBrokenJarsAreNamed() throws IOException {
    CommandLineTest.Result r = CommandLineTest.run("train", config("ext:swoosh").toString(), "--plugins", plugins.toString(),
        "--out", tmp.resolve("run").toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("test: loss");
    assertThat(r.err())
        .contains("warning: plugin jar missing-class.jar: its META-INF/services/dev.neurite.spi.NeuritePlugin entry is broken: "
            + "dev.neurite.spi.NeuritePlugin: Provider nowhere.Plugin not found")
        .contains("warning: plugin bad.Plugin (throwing.jar) cannot be created: ")
        .contains("license expired")
        .contains("warning: plugin jar notes.jar (" + plugins.resolve("notes.jar") + ") is not a readable jar (zip) file: ")
        .contains("warning: plugin jar library.jar (" + plugins.resolve("library.jar") + ") declares no plugin (no provider in "
            + "META-INF/services/dev.neurite.spi.NeuritePlugin); a plugin's own dependency jars go in a sub-folder with it")
        .contains("(the other plugins are loaded)");
    assertThat(Files.readString(tmp.resolve("run/config.yaml"))).contains("- ext:swoosh");
  }

  @Test
  void helpAndVersionLoadNoPlugin() throws IOException {
    // the throwing plugin's constructor runs whenever its jar is loaded, and says so on stderr
    CommandLineTest.Result loaded = CommandLineTest.run("plugins", "--plugins", plugins.toString());
    assertThat(loaded.err()).contains("license expired");
    for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"},
        new String[] {"train", config("relu").toString(), "--plugins", plugins.toString(), "--help"},
        new String[] {"validate", "--plugins", plugins.toString(), "--help"}, new String[] {"help", "train"})) {
      CommandLineTest.Result r = CommandLineTest.run(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).isNotEmpty();
      assertThat(r.err()).as(String.join(" ", args)).doesNotContain("license expired");
    }
  }

  @Test
  void aBareNameFindsTheOneNamespaceThatHasIt() throws IOException {
    CommandLineTest.Result r = CommandLineTest.run("validate", config("swoosh").toString(), "--plugins", plugins.toString(), "--print");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("- ext:swoosh");
    // an exact name is never ambiguous: the standard swish is used even with a namespaced one installed
    CommandLineTest.Result exact = CommandLineTest.run("validate", config("swish").toString(), "--plugins", plugins.toString(), "--print");
    assertThat(exact.out()).contains("  - swish\n");
  }

  @Test
  void aComponentWhoseConstructorFailsIsNamedWithItsJar() throws IOException {
    CommandLineTest.Result r = CommandLineTest.run("validate", config("boom:layer").toString(), "--plugins", plugins.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("model.layers[1]: plugin boom.Plugin (boom.jar) failed to create layer 'boom:layer': "
        + "java.lang.IllegalStateException: out of licences");
  }

  @Test
  void withoutThePluginPathTheNamespaceIsMissing() throws IOException {
    CommandLineTest.Result r = CommandLineTest.run("validate", config("ext:swoosh").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown layer type 'ext:swoosh'")
        .contains("No installed plugin provides the namespace 'ext': load its jar with --plugins DIR (or NEURITE_PLUGINS)");
  }

  @Test
  void verifyPassesTheGoodJarAndNamesTheBrokenOnes() {
    CommandLineTest.Result good = CommandLineTest.run("plugins", "verify", plugins.resolve("ext-swish.jar").toString());
    assertThat(good.code()).as(good.out() + good.err()).isZero();
    assertThat(good.out()).containsPattern("ext:swoosh +layer +ext-swish.jar +pass \\(\\d+ checks\\)")
        .contains("1 components verified, 0 failed");

    CommandLineTest.Result bad = CommandLineTest.run("plugins", "verify", plugins.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out())
        .contains("FAIL  plugin jar missing-class.jar: its META-INF/services")
        .contains("FAIL  plugin bad.Plugin (throwing.jar) cannot be created")
        .contains("FAIL  plugin jar notes.jar (" + plugins.resolve("notes.jar") + ") is not a readable jar (zip) file")
        .containsPattern("boom:layer +layer +boom.jar +FAIL")
        .contains("create from its @Example: plugin boom.Plugin (boom.jar) failed to create layer 'boom:layer'")
        .containsPattern("ext:swoosh +layer +ext-swish.jar +pass");
  }

  @Test
  void verifyOfAFileThatIsNoJarSaysSo() {
    CommandLineTest.Result r = CommandLineTest.run("plugins", "verify", plugins.resolve("notes.jar").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL  plugin jar notes.jar (" + plugins.resolve("notes.jar") + ") is not a readable jar (zip) file: "
        + "zip END header not found; rebuild it, or remove it from the plugin folder", "0 components verified, 1 failed");
  }

  @Test
  void theExamplePluginJarTrainsItsExperiment() {
    Path acme = Path.of("../plugins/example/target/plugin");
    assertThat(acme.resolve("acme-neurite-plugin.jar")).as("the example plugin is packaged before this module (mvn -B verify)").exists();
    CommandLineTest.Result r = CommandLineTest.run("train", "digits-acme.yaml", "--plugins", acme.toString(),
        "--out", tmp.resolve("acme").toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    CommandLineTest.Result verify = CommandLineTest.run("plugins", "verify", acme.resolve("acme-neurite-plugin.jar").toString());
    assertThat(verify.out()).containsPattern("acme:lion +optimizer +acme-neurite-plugin.jar +pass")
        .containsPattern("acme:mish +layer +acme-neurite-plugin.jar +pass");
    CommandLineTest.Result describe = CommandLineTest.run("plugins", "describe", "lion", "--plugins", acme.toString());
    assertThat(describe.out()).startsWith("acme:lion (optimizer)\n")
        .contains("    weight_decay: double = 0, >= 0  -- decoupled weight decay, on params that decay")
        .contains("  example: {type: acme:lion, lr: 0.01}");
  }
}
