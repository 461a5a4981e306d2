package dev.neurite.testkit;

import dev.neurite.check.PluginChecks;
import dev.neurite.spi.NeuritePlugin;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Extend this to prove a whole plugin installs the way {@code ./neurite train} installs it: its
 * services file names it, it registers through Guice beside the built-in plugin with no name clash,
 * and every component it registers builds from its {@link dev.neurite.spi.Example @Example} and
 * passes the contract of its kind there (what {@code ./neurite plugins verify} runs on the jar).
 * The built-ins come from {@code dev.neurite:neurite-standard}, which the test class path needs.
 *
 * <pre>{@code
 * class AcmePluginTest extends PluginContract {
 *   protected Class<? extends NeuritePlugin> plugin() { return AcmePlugin.class; }
 * }
 * }</pre>
 */
public abstract class PluginContract {
  /** The plugin class under test, as {@code META-INF/services/dev.neurite.spi.NeuritePlugin} lists it. */
  protected abstract Class<? extends NeuritePlugin> plugin();

  @TestFactory
  Stream<DynamicTest> pluginContract() {
    return Contracts.tests(PluginChecks.of(getClass().getClassLoader(), plugin()));
  }
}
