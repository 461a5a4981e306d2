package dev.neurite.spi;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * One registered component: the YAML type name, its parameter record (the YAML keys, with their
 * defaults and docs), the class Guice instantiates, and the plugin that registered it.
 */
public record ComponentType<T>(
    ComponentKind<T> kind,
    String name,
    Class<? extends Record> params,
    Class<? extends T> implementation,
    Class<? extends NeuritePlugin> plugin) {

  /** The implementation's {@link Doc}, or an empty string. */
  public String doc() {
    Doc doc = implementation.getAnnotation(Doc.class);
    return doc == null ? "" : doc.value();
  }

  /** Where the registering plugin was loaded from: a jar's file name or a class folder. */
  public String source() {
    return sourceOf(plugin);
  }

  /** The jar file name (or class folder) a class was loaded from. */
  public static String sourceOf(Class<?> cls) {
    CodeSource cs = cls.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) return "unknown location";
    try {
      Path p = Path.of(cs.getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.getFileName().toString() : p.toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return cs.getLocation().toString();
    }
  }
}
