package dev.neurite.inject;

import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Finds plugins the way a third party's are found: {@code META-INF/services} entries, through
 * {@link ServiceLoader}. Built-ins come from the application class path. A plugin directory adds
 * one class loader per plugin: each {@code *.jar} directly in it, and each sub-directory (a plugin
 * with its own dependency jars). A plugin that fails to load is recorded as a problem naming its jar;
 * the others still load.
 */
public final class PluginDiscovery {
  /** The plugins found, and what went wrong with the ones that could not be loaded. */
  public record Result(List<NeuritePlugin> plugins, List<String> problems) {}

  private PluginDiscovery() {}

  /** Plugins on the class path of {@code loader}; a failure here is fatal (the installation is broken). */
  public static List<NeuritePlugin> discover(ClassLoader loader) {
    Result r = load(loader, loader, null);
    if (!r.problems().isEmpty()) throw new NeuriteException(String.join("; ", r.problems()));
    return r.plugins();
  }

  /** Built-in plugins from {@code parent}, then the plugins in each of {@code pluginPaths}. */
  public static Result discover(ClassLoader parent, List<Path> pluginPaths) {
    List<NeuritePlugin> plugins = new ArrayList<>(discover(parent));
    List<String> problems = new ArrayList<>();
    for (Path path : pluginPaths) {
      List<Path> units;
      try {
        units = units(path);
      } catch (IOException e) {
        problems.add("plugin path " + path + ": cannot read: " + e.getMessage());
        continue;
      }
      for (Path unit : units) {
        try {
          URL[] urls = urls(unit);
          String broken = unreadableJar(urls);
          if (broken != null) {
            problems.add(broken);
            continue;
          }
          URLClassLoader loader = new URLClassLoader(urls, parent);
          String name = unit.getFileName().toString();
          Result r = load(loader, parent, name);
          plugins.addAll(r.plugins());
          problems.addAll(r.problems());
          if (r.plugins().isEmpty() && r.problems().isEmpty()) {
            problems.add((Files.isDirectory(unit) ? "plugin folder " : "plugin jar ") + name + " (" + unit + ") declares no plugin (no provider in "
                + "META-INF/services/" + NeuritePlugin.class.getName() + (Files.isDirectory(unit) ? " in its jars" : "")
                + "); a plugin's own dependency jars go in a sub-folder with it");
          }
        } catch (IOException e) {
          problems.add("plugin " + unit + ": cannot read: " + e.getMessage());
        }
      }
    }
    return new Result(plugins, problems);
  }

  /** A problem naming the first jar that is not a readable zip file, or null when all are. */
  private static String unreadableJar(URL[] urls) {
    for (URL url : urls) {
      Path jar = Path.of(url.getPath());
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        zip.size();
      } catch (IOException e) {
        return "plugin jar " + jar.getFileName() + " (" + jar + ") is not a readable jar (zip) file: " + e.getMessage()
            + "; rebuild it, or remove it from the plugin folder";
      }
    }
    return null;
  }

  /** The plugin units of a path: a jar itself, or the jars and sub-directories of a directory, sorted. */
  static List<Path> units(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      if (!Files.exists(path)) throw new IOException("no such file or directory");
      return List.of(path);
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
  }

  /** The file names of the jars a plugin path contributes (what {@code ComponentType.source()} reports). */
  public static List<String> jarNames(Path path) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path unit : units(path)) {
      for (URL url : urls(unit)) names.add(Path.of(url.getPath()).getFileName().toString());
    }
    return names;
  }

  private static URL[] urls(Path unit) throws IOException {
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(unit)) {
      try (Stream<Path> s = Files.list(unit)) {
        s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
      }
    } else {
      jars.add(unit);
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IOException(e);
      }
    }
    return urls;
  }

  /**
   * The providers {@code loader} itself declares (not those it inherits from {@code parent});
   * {@code jar} names the plugin jar or folder, null for the class path.
   */
  private static Result load(ClassLoader loader, ClassLoader parent, String jar) {
    String where = jar == null ? "class path" : jar;
    List<NeuritePlugin> plugins = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      var providers = ServiceLoader.load(NeuritePlugin.class, loader).stream()
          .filter(p -> loader == parent || p.type().getClassLoader() == loader).toList();
      for (var provider : providers) {
        try {
          plugins.add(provider.get());
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
          problems.add("plugin " + provider.type().getName() + " (" + where + ") cannot be created: " + rootMessage(e));
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      problems.add((jar == null ? "a plugin on the class path" : "plugin jar " + jar) + ": its META-INF/services/"
          + NeuritePlugin.class.getName() + " entry is broken: " + rootMessage(e));
    }
    return new Result(plugins, problems);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    return m;
  }
}
