package com.acme.neurite;

import dev.neurite.spi.NeuritePlugin;

/** Registers Acme's components under the {@code acme:} namespace. */
public final class AcmePlugin extends NeuritePlugin {
  @Override
  public String name() {
    return "acme";
  }

  @Override
  protected void configure() {
    layer("acme:mish", Mish.class);
    optimizer("acme:lion", Lion.Params.class, Lion.class);
    loss("acme:log_cosh", LogCosh.class);
    regularizer("acme:orthogonality", Orthogonality.Params.class, Orthogonality.class);
  }
}
