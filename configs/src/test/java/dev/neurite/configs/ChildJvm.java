package dev.neurite.configs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./neurite} in a separate JVM on the test class path, for tests that kill it or limit its heap. */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code dev.neurite.cli.Main args} with the launcher's JVM flags (the argument file the pom names) and {@code jvmFlags}; stdout and stderr go to {@code log}. */
  static Process start(Path log, List<String> jvmFlags, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + System.getProperty("neurite.jvmargs")));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", classPath(), "dev.neurite.cli.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The test class path (surefire may hide it behind a manifest-only jar). */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }
}
