package dev.neurite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one file of JVM flags ships on the class path (so in the core jar) and is what the test JVMs run with. */
class JvmArgsFileTest {
  @Test
  void theTestJvmRunsWithEveryFlagOfTheShippedArgumentFile() throws IOException {
    List<String> flags = new ArrayList<>();
    try (InputStream in = JvmArgsFileTest.class.getResourceAsStream("/dev/neurite/neurite.jvmargs")) {
      assertThat(in).as("dev/neurite/neurite.jvmargs on the class path").isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String flag = line.strip();
        if (!flag.isEmpty() && !flag.startsWith("#")) flags.addAll(List.of(flag.split("\\s+")));
      }
    }
    assertThat(flags).contains("--add-modules", "jdk.incubator.vector",
        "-XX:CompileCommand=dontinline,dev.neurite.tensor.VectorGemm::tile*", "-XX:CompileCommand=dontinline,dev.neurite.tensor.VectorGemm::gather*");
    // the java launcher expands an @argfile before the VM sees its arguments; --add-modules M arrives as one property
    List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String flag : flags) {
      if (flag.equals("--add-modules")) continue;
      if (flag.equals("jdk.incubator.vector")) {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
      } else {
        assertThat(running).as("the test JVM's arguments").contains(flag);
      }
    }
  }
}
