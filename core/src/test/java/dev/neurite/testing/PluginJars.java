package dev.neurite.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar the way a third party would: javac against the test classpath (core on it),
 * then a jar with the classes and a {@code META-INF/services} entry.
 */
public final class PluginJars {
  private PluginJars() {}

  /**
   * @param sources  class name -> Java source
   * @param services service entries, written to META-INF/services/dev.neurite.spi.NeuritePlugin
   */
  public static Path build(Path workDir, String jarName, Map<String, String> sources, List<String> services) throws IOException {
    Path src = Files.createTempDirectory(workDir, "src");
    Path classes = Files.createTempDirectory(workDir, "classes");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        "--release", "17", "-proc:none"));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (!sources.isEmpty() && javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("test plugin sources did not compile");
    }
    Path jar = workDir.resolve(jarName);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/services/dev.neurite.spi.NeuritePlugin"));
      out.write((String.join("\n", services) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /** Writes raw bytes as a file, e.g. a corrupt jar. */
  public static Path write(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }
}
