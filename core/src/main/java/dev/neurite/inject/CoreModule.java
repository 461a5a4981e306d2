package dev.neurite.inject;

import com.google.inject.AbstractModule;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.NeuritePlugin;

/** Declares one (possibly empty) registry per component kind, so every kind can be looked up. */
final class CoreModule extends AbstractModule {
  @Override
  protected void configure() {
    for (ComponentKind<?> kind : ComponentKind.ALL) {
      NeuritePlugin.mapBinder(binder(), kind);
    }
  }
}
