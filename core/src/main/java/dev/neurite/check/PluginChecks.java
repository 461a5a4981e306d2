package dev.neurite.check;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.inject.PluginDiscovery;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a whole plugin installs the way {@code ./neurite train} installs it: {@link
 * java.util.ServiceLoader} finds it, it registers through Guice beside the built-in plugin with no
 * name clash, and every component it registers builds from its {@link dev.neurite.spi.Example
 * @Example} and passes the contract of its kind there.
 */
public final class PluginChecks {
  /** The built-in plugin every third-party plugin is installed beside. */
  public static final String BUILT_IN = "dev.neurite.standard.StandardPlugin";

  private PluginChecks() {}

  /** The checks of {@code plugin} as the plugins visible to {@code loader} (its class path) find it. */
  public static List<Check> of(ClassLoader loader, Class<? extends NeuritePlugin> plugin) {
    List<NeuritePlugin> found = PluginDiscovery.discover(loader);
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("is listed in META-INF/services/dev.neurite.spi.NeuritePlugin", () -> {
      if (found.stream().noneMatch(p -> p.getClass() == plugin)) {
        throw new AssertionError("ServiceLoader does not find " + plugin.getName() + ": add its name as a line of "
            + "src/main/resources/META-INF/services/dev.neurite.spi.NeuritePlugin (found: " + classNames(found) + ")");
      }
    }));
    ComponentRegistry registry = null;
    NeuriteException clash = null;
    try {
      registry = ComponentRegistry.of(found);
    } catch (NeuriteException e) { // "plugins conflict: layer 'x' is registered by ..."
      clash = e;
    }
    NeuriteException registration = clash;
    checks.add(new Check("loads beside the built-in plugin with unique component names", () -> {
      if (found.stream().noneMatch(p -> p.getClass().getName().equals(BUILT_IN))) {
        throw new AssertionError("the built-in plugin is not on the class path, so names cannot be checked against it: "
            + "add the dependency dev.neurite:neurite-standard with <scope>test</scope>");
      }
      if (registration != null) throw new AssertionError(registration.getMessage(), registration);
    }));
    if (registry == null) return checks; // the check above reports why
    ComponentRegistry installed = registry;
    for (ComponentType<?> type : installed.all()) {
      if (type.plugin() != plugin) continue;
      checks.add(new Check(type.kind().name() + " '" + type.name() + "' builds from its @Example and passes its contract", () -> {
        List<String> failures = new ArrayList<>();
        for (Check.Outcome o : ComponentVerifier.verify(installed, type).outcomes()) {
          o.failure().ifPresent(f -> failures.add(o.name() + ": " + f));
        }
        if (!failures.isEmpty()) throw new AssertionError(String.join("; ", failures));
      }));
    }
    return checks;
  }

  private static String classNames(List<NeuritePlugin> plugins) {
    return plugins.isEmpty() ? "none" : String.join(", ", plugins.stream().map(p -> p.getClass().getName()).toList());
  }
}
