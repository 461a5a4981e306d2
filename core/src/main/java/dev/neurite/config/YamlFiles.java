package dev.neurite.config;

import dev.neurite.spi.Messages;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads YAML into SnakeYAML's node tree, which keeps the line and column of every node. Only
 * composing happens here (no object construction), under explicit limits; tags beyond the plain
 * YAML types are refused by the binder.
 */
public final class YamlFiles {
  static final int MAX_ALIASES = 50;
  static final int MAX_DEPTH = 50;
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

  private YamlFiles() {}

  static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    o.setAllowRecursiveKeys(false);
    o.setMaxAliasesForCollections(MAX_ALIASES);
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setCodePointLimit(MAX_CODE_POINTS);
    return o;
  }

  private static Yaml yaml() {
    LoaderOptions lo = loaderOptions();
    DumperOptions dumper = new DumperOptions();
    dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dumper.setIndent(2);
    dumper.setWidth(120);
    return new Yaml(new SafeConstructor(lo), new Representer(dumper), dumper, lo);
  }

  /** The root node of {@code file}; a syntax error becomes a {@link ConfigException} with its position. */
  public static Node compose(Path file, String displayName) {
    try {
      long size = Files.size(file);
      if (size > MAX_CODE_POINTS) {
        throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "",
            "the file is " + size + " bytes; a config may be at most " + MAX_CODE_POINTS + " bytes (3 MiB)"));
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "file not found"));
    } catch (IOException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "cannot read: " + e.getMessage()));
    }
    try {
      return compose(new StringReader(utf8(Files.readAllBytes(file), displayName)), displayName);
    } catch (NoSuchFileException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "file not found"));
    } catch (MalformedInputException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "file is not valid UTF-8"));
    } catch (IOException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "cannot read: " + e.getMessage()));
    }
  }

  /** The text of a config file's bytes; bytes that are not UTF-8 are a located error. */
  private static String utf8(byte[] bytes, String displayName) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      throw new ConfigException(new ConfigError(new Position(displayName, line, column), "",
          String.format("byte 0x%02X is not UTF-8; save the file as UTF-8", bytes[in.position()] & 0xff)));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** Composes YAML text, e.g. a parameter's {@code @Default}. */
  public static Node compose(String text, String displayName) {
    return compose(new StringReader(text), displayName);
  }

  private static Node compose(Reader reader, String displayName) {
    try {
      Node root = yaml().compose(reader);
      if (root != null) refuseRecursion(root, Collections.newSetFromMap(new IdentityHashMap<>()),
          Collections.newSetFromMap(new IdentityHashMap<>()), displayName);
      return root;
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Position at = mark == null ? new Position(displayName, 1, 1)
          : new Position(displayName, mark.getLine() + 1, mark.getColumn() + 1);
      String what = (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem();
      throw new ConfigException(new ConfigError(at, "", "invalid YAML: " + what.replaceAll("\\s+", " ").trim()));
    } catch (YAMLException e) {
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "",
          "YAML rejected: " + Messages.brief(e)));
    } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
      // SnakeYAML's composer throws these for a few malformed inputs (a tag that decodes to a space, say)
      throw new ConfigException(new ConfigError(new Position(displayName, 1, 1), "", "invalid YAML: " + Messages.brief(e)));
    }
  }

  /**
   * Refuses a node that contains itself ({@code a: &a [*a]}): SnakeYAML composes it as a cycle, which
   * every later walk over the tree would follow forever. {@code done} holds subtrees already checked,
   * so shared (aliased) subtrees are walked once.
   */
  private static void refuseRecursion(Node node, Set<Node> ancestors, Set<Node> done, String displayName) {
    if (done.contains(node)) return;
    if (!ancestors.add(node)) {
      Mark m = node.getStartMark();
      throw new ConfigException(new ConfigError(new Position(displayName, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1),
          "", "a recursive alias: this node contains itself; anchors (&) may only be reused, not nested in themselves"));
    }
    if (node instanceof SequenceNode seq) {
      for (Node child : seq.getValue()) refuseRecursion(child, ancestors, done, displayName);
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        refuseRecursion(t.getKeyNode(), ancestors, done, displayName);
        refuseRecursion(t.getValueNode(), ancestors, done, displayName);
      }
    }
    ancestors.remove(node);
    done.add(node);
  }

  /** Block-style YAML for the resolved config. */
  public static String dump(Map<String, Object> tree) {
    return yaml().dump(tree);
  }

  static Map<String, Object> newMap() {
    return new LinkedHashMap<>();
  }

  static List<Object> newList() {
    return new ArrayList<>();
  }
}
