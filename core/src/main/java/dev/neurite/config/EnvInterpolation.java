package dev.neurite.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Replaces {@code ${env:NAME}} and {@code ${env:NAME:-default}} in every scalar value of a config
 * with the environment variable's value (or the default when it is unset or empty), before
 * binding; the run records the resolved values. {@code $${} stands for a literal {@code ${}.
 * A variable that is unset and has no default is an error at the value's position.
 *
 * <p>A value that begins with a variable's value (not its default) is relative, as a file path, to the
 * working directory where the variable was set ({@code NEURITE_DATA=../data}); everything else written
 * in a config file stays relative to that file's folder.
 */
final class EnvInterpolation {
  private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$\\{([^}]*)}");

  private EnvInterpolation() {}

  static void apply(Node node, String path, UnaryOperator<String> env, String file, ConfigLayers layers, List<ConfigError> errors) {
    if (node instanceof MappingNode map) {
      List<NodeTuple> tuples = map.getValue();
      for (int i = 0; i < tuples.size(); i++) {
        NodeTuple t = tuples.get(i);
        String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
        Node value = t.getValueNode();
        if (value instanceof ScalarNode s) {
          ScalarNode replaced = substitute(s, join(path, key), env, file, layers, errors);
          if (replaced != s) tuples.set(i, new NodeTuple(t.getKeyNode(), replaced));
        } else {
          apply(value, join(path, key), env, file, layers, errors);
        }
      }
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof ScalarNode s) items.set(i, substitute(s, path + "[" + i + "]", env, file, layers, errors));
        else apply(items.get(i), path + "[" + i + "]", env, file, layers, errors);
      }
    }
  }

  private static ScalarNode substitute(ScalarNode s, String path, UnaryOperator<String> env, String file, ConfigLayers layers,
                                       List<ConfigError> errors) {
    String text = s.getValue();
    if (!text.contains("${")) return s;
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    boolean fromEnvironment = false; // the value begins with a variable's value
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else if (m.group(1) == null) {
        errors.add(new ConfigError(position(s, file), path, "'" + m.group() + "' is not a reference Neurite knows; "
            + "write ${env:NAME} or ${env:NAME:-default} for an environment variable, or $${ for a literal ${"));
        ok = false;
        replacement = m.group();
      } else {
        String value = env.apply(m.group(1));
        if (value != null && !value.isEmpty()) {
          replacement = value;
          if (m.start() == 0) fromEnvironment = true;
        } else if (m.group(2) != null) {
          replacement = m.group(2);
        } else {
          errors.add(new ConfigError(position(s, file), path, "environment variable " + m.group(1) + " is not set; set it, "
              + "or give a default: ${env:" + m.group(1) + ":-default}"));
          ok = false;
          replacement = m.group();
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (!ok) return s;
    ScalarNode replaced = new ScalarNode(s.getTag(), out.toString(), s.getStartMark(), s.getEndMark(), s.getScalarStyle());
    ConfigLayers.Origin origin = layers.originOf(s);
    if (fromEnvironment) {
      layers.claim(replaced, new ConfigLayers.Origin(origin != null ? origin.file() : file, Path.of("").toAbsolutePath()));
    } else if (origin != null) {
      layers.claim(replaced, origin);
    }
    return replaced;
  }

  private static Position position(Node node, String file) {
    return new Position(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
