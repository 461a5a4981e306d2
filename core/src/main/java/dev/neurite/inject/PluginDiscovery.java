package dev.neurite.inject;

import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds plugins the way a third party's would be found: {@code META-INF/services} entries, via {@link ServiceLoader}. */
public final class PluginDiscovery {
  private PluginDiscovery() {}

  public static List<NeuritePlugin> discover(ClassLoader loader) {
    List<NeuritePlugin> plugins = new ArrayList<>();
    try {
      for (NeuritePlugin plugin : ServiceLoader.load(NeuritePlugin.class, loader)) {
        plugins.add(plugin);
      }
    } catch (ServiceConfigurationError e) {
      throw new NeuriteException("could not load a plugin listed in META-INF/services/"
          + NeuritePlugin.class.getName() + ": " + e.getMessage(), e);
    }
    return plugins;
  }
}
