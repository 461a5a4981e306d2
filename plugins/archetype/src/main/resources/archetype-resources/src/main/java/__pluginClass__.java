package ${package};

import dev.neurite.spi.NeuritePlugin;

/** Registers this plugin's components under the {@code ${namespace}:} namespace. */
public final class ${pluginClass} extends NeuritePlugin {
  @Override
  public String name() {
    return "${namespace}";
  }

  @Override
  protected void configure() {
    layer("${namespace}:prelu", PRelu.Params.class, PRelu.class);
  }
}
