package dev.neurite.cli;

import dev.neurite.inject.ComponentRegistry;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --plugins DIR} and {@code NEURITE_PLUGINS}: where third-party plugin jars are loaded from. */
final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR",
      description = "load plugin jars from DIR (each jar, or each sub-directory of jars, in its own class loader); "
          + "repeatable; added to the directories in NEURITE_PLUGINS (separated by ':')")
  List<Path> dirs = new ArrayList<>();

  List<Path> paths() {
    List<Path> all = new ArrayList<>();
    String env = System.getenv("NEURITE_PLUGINS");
    if (env != null) for (String p : env.split(File.pathSeparator)) if (!p.isBlank()) all.add(Path.of(p));
    all.addAll(dirs);
    return all;
  }

  /** The registry of built-ins plus plugin-path jars; plugins that failed to load are reported on {@code err}. */
  ComponentRegistry registry(PrintWriter err) {
    ComponentRegistry registry = ComponentRegistry.discover(PluginOptions.class.getClassLoader(), paths());
    for (String problem : registry.problems()) err.println("warning: " + problem + " (the other plugins are loaded)");
    err.flush();
    return registry;
  }
}
