package dev.neurite.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A YAML node as plain Java values (maps, lists, strings) and as one line of flow YAML, for {@code --set}. */
public final class YamlText {
  private YamlText() {}

  /** Scalars stay text: the binder parses them by the type it needs. */
  public static Object plain(Node node) {
    if (node instanceof ScalarNode s) return s.getValue();
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      seq.getValue().forEach(n -> out.add(plain(n)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
    return out;
  }

  /** Flow YAML for {@code node}: {@code 0.01}, {@code [16, 32]}, {@code {type: adam, lr: 0.001}}. */
  public static String flow(Node node) {
    if (node instanceof ScalarNode s) {
      String v = s.getValue();
      boolean plain = s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && !v.isEmpty() && !v.matches(".*[,\\[\\]{}:#'\"].*");
      return plain ? v : "'" + v.replace("'", "''") + "'";
    }
    if (node instanceof SequenceNode seq) {
      List<String> items = new ArrayList<>();
      seq.getValue().forEach(n -> items.add(flow(n)));
      return "[" + String.join(", ", items) + "]";
    }
    List<String> items = new ArrayList<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) items.add(flow(t.getKeyNode()) + ": " + flow(t.getValueNode()));
    return "{" + String.join(", ", items) + "}";
  }
}
