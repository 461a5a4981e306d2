package ${package};

import dev.neurite.spi.NeuritePlugin;
import dev.neurite.testkit.PluginContract;

/** The plugin as Neurite installs it: found by ServiceLoader, no clash with a built-in, every component built from its @Example. */
class ${pluginClass}Test extends PluginContract {
  @Override
  protected Class<? extends NeuritePlugin> plugin() {
    return ${pluginClass}.class;
  }
}
