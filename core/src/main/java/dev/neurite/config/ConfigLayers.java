package dev.neurite.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Several config files merged in order, then {@code --set key.path=value} overrides. A later
 * file's mapping merges into an earlier one key by key, recursively; any other value (a scalar, a
 * list, a component written as a bare name) replaces the earlier value whole. Every node keeps the
 * file it came from, so errors point into the right file and relative paths resolve against that
 * file's folder ({@code --set} values: against the working directory).
 */
final class ConfigLayers {
  /** Where a node was written. */
  record Origin(String file, Path baseDir) {}

  private static final Pattern SET = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*|\\[\\d+])(.*)", Pattern.DOTALL);

  private final Map<Node, Origin> origins = new IdentityHashMap<>();

  /** Records that every node under {@code root} came from {@code origin}. */
  void claim(Node root, Origin origin) {
    if (root == null) return;
    origins.put(root, origin);
    if (root instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        claim(t.getKeyNode(), origin);
        claim(t.getValueNode(), origin);
      }
    } else if (root instanceof SequenceNode s) {
      s.getValue().forEach(n -> claim(n, origin));
    }
  }

  Origin originOf(Node node) {
    return origins.get(node);
  }

  /** {@code overlay} merged into {@code base} (which is changed and returned). */
  static Node merge(Node base, Node overlay) {
    if (!(base instanceof MappingNode b) || !(overlay instanceof MappingNode o)) return overlay;
    List<NodeTuple> tuples = b.getValue();
    for (NodeTuple t : o.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
      int at = indexOf(tuples, key);
      if (at < 0) {
        tuples.add(t);
      } else {
        tuples.set(at, new NodeTuple(tuples.get(at).getKeyNode(), merge(tuples.get(at).getValueNode(), t.getValueNode())));
      }
    }
    return b;
  }

  private static int indexOf(List<NodeTuple> tuples, String key) {
    if (key == null) return -1;
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return i;
    }
    return -1;
  }

  /**
   * Applies {@code --set path=value} to {@code root}: the value is YAML ({@code 0.01},
   * {@code [16, 32]}, {@code {type: adam, lr: 0.001}}); the path is keys and list indices
   * ({@code model.layers[0].units}). Keys that do not exist yet are added; list indices must exist.
   */
  void set(Node root, String assignment, int argument, List<ConfigError> errors) {
    String display = "--set #" + argument;
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      errors.add(new ConfigError(new Position(display, 1, 1), "", "expected --set key.path=value, got '" + assignment + "'"));
      return;
    }
    String path = assignment.substring(0, eq).trim();
    Node value;
    try {
      value = YamlFiles.compose(assignment.substring(eq + 1), display);
    } catch (ConfigException e) {
      errors.addAll(e.errors());
      return;
    }
    if (value == null) value = new ScalarNode(Tag.NULL, "null", null, null, DumperOptions.ScalarStyle.PLAIN);
    claim(value, new Origin(display, Path.of("").toAbsolutePath()));
    Node node = root;
    String rest = path;
    String done = "";
    while (true) {
      Matcher m = SET.matcher(rest);
      if (!m.matches()) {
        errors.add(new ConfigError(new Position(display, 1, 1), path, "cannot read the key path '" + path
            + "' at '" + rest + "'; write keys and list indices, e.g. model.layers[0].units=128"));
        return;
      }
      String segment = m.group(1);
      rest = m.group(2);
      boolean last = rest.isEmpty();
      if (!last && rest.startsWith(".")) rest = rest.substring(1);
      if (segment.startsWith("[")) {
        int index = Integer.parseInt(segment.substring(1, segment.length() - 1));
        if (!(node instanceof SequenceNode seq) || index >= seq.getValue().size()) {
          int size = node instanceof SequenceNode s ? s.getValue().size() : -1;
          errors.add(new ConfigError(new Position(display, 1, 1), path, done + (size < 0 ? " is not a list"
              : " has " + size + " items, so there is no [" + index + "]")));
          return;
        }
        if (last) {
          seq.getValue().set(index, value);
          return;
        }
        node = seq.getValue().get(index);
        done = done + segment;
      } else {
        MappingNode map;
        if (node instanceof MappingNode m2) {
          map = m2;
        } else {
          // a component written as a bare name: `optimizer: sgd` becomes {type: sgd} so a parameter can be set
          if (node instanceof ScalarNode bare && !done.isEmpty()) {
            MappingNode expanded = new MappingNode(Tag.MAP, new ArrayList<>(List.of(new NodeTuple(
                scalar("type", bare), bare))), DumperOptions.FlowStyle.FLOW);
            claim(expanded, originOf(bare));
            replace(root, done, expanded);
            map = expanded;
          } else {
            errors.add(new ConfigError(new Position(display, 1, 1), path, (done.isEmpty() ? "the config" : done)
                + " is not a mapping, so it has no key '" + segment + "'"));
            return;
          }
        }
        int at = indexOf(map.getValue(), segment);
        if (last) {
          NodeTuple t = new NodeTuple(scalar(segment, value), value);
          if (at < 0) map.getValue().add(t);
          else map.getValue().set(at, t);
          return;
        }
        if (at < 0) {
          MappingNode created = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
          claim(created, new Origin(display, Path.of("").toAbsolutePath()));
          map.getValue().add(new NodeTuple(scalar(segment, created), created));
          node = created;
        } else {
          node = map.getValue().get(at).getValueNode();
        }
        done = done.isEmpty() ? segment : done + "." + segment;
      }
    }
  }

  /** Puts {@code replacement} at {@code path} (keys and indices, as produced while walking) under {@code root}. */
  private static void replace(Node root, String path, Node replacement) {
    Node parent = root;
    Matcher m = SET.matcher(path);
    String rest = path;
    while (m.matches()) {
      String segment = m.group(1);
      rest = m.group(2);
      if (rest.startsWith(".")) rest = rest.substring(1);
      boolean last = rest.isEmpty();
      if (segment.startsWith("[")) {
        SequenceNode seq = (SequenceNode) parent;
        int index = Integer.parseInt(segment.substring(1, segment.length() - 1));
        if (last) {
          seq.getValue().set(index, replacement);
          return;
        }
        parent = seq.getValue().get(index);
      } else {
        MappingNode map = (MappingNode) parent;
        int at = indexOf(map.getValue(), segment);
        if (last) {
          map.getValue().set(at, new NodeTuple(map.getValue().get(at).getKeyNode(), replacement));
          return;
        }
        parent = map.getValue().get(at).getValueNode();
      }
      m = SET.matcher(rest);
    }
  }

  private static ScalarNode scalar(String text, Node near) {
    return new ScalarNode(Tag.STR, text, near == null ? null : near.getStartMark(), near == null ? null : near.getEndMark(),
        DumperOptions.ScalarStyle.PLAIN);
  }
}
