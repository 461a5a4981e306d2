package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plugin guide's walkthrough is the archetype's code, which PluginArchetypeTest compiles, tests and trains. */
class PluginGuideTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theGuidesLayerIsTheArchetypesLayer() throws IOException {
    String guide = Files.readString(ROOT.resolve("docs/plugins.md"));
    String marker = "<!-- the archetype's src/main/java/PRelu.java; PluginGuideTest keeps the two the same -->\n```java\n";
    int start = guide.indexOf(marker);
    assertThat(start).as("docs/plugins.md introduces the archetype's layer with: " + marker).isNotNegative();
    start += marker.length();
    String block = guide.substring(start, guide.indexOf("```\n", start));
    String archetype = Files.readString(ROOT.resolve("plugins/archetype/src/main/resources/archetype-resources/src/main/java/PRelu.java"))
        .replace("${package}", "org.example.plugin");
    assertThat(block).isEqualTo(archetype);
  }
}
