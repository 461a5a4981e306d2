package dev.neurite.config;

import com.google.inject.util.Types;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Max;
import dev.neurite.spi.Messages;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Nondeterministic;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Suggestions;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree to Java types: parameter records, components named by {@code type:},
 * lists, numbers, booleans, strings, enums and paths. It keeps going after an error so that one run
 * reports every problem in the file, each with its line, column and key path. Alongside each value
 * it builds the resolved tree (every default filled in) that the run directory records.
 */
final class ConfigBinder {
  /** A bound value and its resolved YAML form; {@code ok == false} when an error was recorded. */
  record Bound(Object value, Object resolved, boolean ok) {
    static final Bound FAILED = new Bound(null, null, false);

    static Bound of(Object value, Object resolved) {
      return new Bound(value, resolved, true);
    }
  }

  private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

  private final String file;
  private final Path baseDir;
  private final ComponentRegistry registry;
  private final Function<String, RandomStream> streams;
  private final List<ConfigError> errors = new ArrayList<>();
  private final Map<String, Position> positions = new LinkedHashMap<>();
  /** While binding a {@code @Default}, errors are reported at the key that fell back to it. */
  private Position defaultOrigin;
  /** Which file (or --set) each node came from, when the config was merged from several. */
  private ConfigLayers layers;

  ConfigBinder(String file, Path baseDir, ComponentRegistry registry, long seed) {
    this(file, baseDir, registry, path -> RandomStream.derive(seed, path));
  }

  /** {@code streams} gives each component, by config path, its random stream. */
  ConfigBinder(String file, Path baseDir, ComponentRegistry registry,
               Function<String, RandomStream> streams) {
    this.file = file;
    this.baseDir = baseDir;
    this.registry = registry;
    this.streams = streams;
  }

  /** Components whose class is {@code @Nondeterministic}: config path to "name (reason)". */
  private final Map<String, String> nondeterministic = new LinkedHashMap<>();

  List<ConfigError> errors() {
    return errors;
  }

  Map<String, String> nondeterministic() {
    return nondeterministic;
  }

  /** Where each bound path was written (components and record keys). */
  Map<String, Position> positions() {
    return positions;
  }

  ConfigBinder withLayers(ConfigLayers layers) {
    this.layers = layers;
    return this;
  }

  Position position(Node node) {
    if (defaultOrigin != null) return defaultOrigin;
    ConfigLayers.Origin origin = layers == null ? null : layers.originOf(node);
    String where = origin != null ? origin.file() : file;
    if (node.getStartMark() == null) return new Position(where, 1, 1);
    return new Position(where, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  private Bound error(Node node, String path, String message) {
    // a key or value can be as long as the file: every error stays a readable line
    errors.add(new ConfigError(position(node), Messages.truncate(path, 200), Messages.truncate(message, 2000)));
    return Bound.FAILED;
  }

  Bound bind(Node node, Type type, String path) {
    positions.putIfAbsent(path, position(node));
    if (!PLAIN_TAGS.contains(node.getTag())) {
      return error(node, path, "the tag " + node.getTag() + " is not allowed; write a plain YAML value");
    }
    if (type instanceof ParameterizedType opt && opt.getRawType() == Optional.class) {
      if (node.getTag().equals(Tag.NULL)) return Bound.of(Optional.empty(), null);
      Bound inner = bind(node, opt.getActualTypeArguments()[0], path);
      return inner.ok() ? Bound.of(Optional.of(inner.value()), inner.resolved()) : Bound.FAILED;
    }
    if (node.getTag().equals(Tag.NULL) && !(type instanceof Class<?> c && Record.class.isAssignableFrom(c))) {
      return error(node, path, "a value is missing here (expected " + describe(type) + ")");
    }
    if (type instanceof ParameterizedType pt && pt.getRawType() == List.class) {
      return bindList(node, pt.getActualTypeArguments()[0], path);
    }
    if (type instanceof ParameterizedType pt && pt.getRawType() == Map.class) return bindStringMap(node, path);
    if (!(type instanceof Class<?> cls)) {
      throw new IllegalStateException("unsupported parameter type " + type + " at " + path);
    }
    if (cls == dev.neurite.nn.Node.class) return bindNode(node, path);
    if (cls == Node.class) return Bound.of(node, YamlText.plain(node)); // raw YAML, e.g. a sweep's candidate values
    var kind = ComponentKind.forType(cls);
    if (kind.isPresent()) return bindComponent(node, kind.get(), path);
    if (cls.isRecord()) {
      @SuppressWarnings("unchecked")
      Class<? extends Record> rc = (Class<? extends Record>) cls;
      if (node.getTag().equals(Tag.NULL)) return bindRecord(null, node, rc, path, Set.of());
      if (!(node instanceof MappingNode map)) return error(node, path, "expected a mapping of " + keysOf(rc));
      return bindRecord(map, node, rc, path, Set.of());
    }
    return bindScalar(node, cls, path);
  }

  /** The most items of any list in a config: far above any real model's layers, low enough to bind in well under a second. */
  static final int MAX_LIST = 10_000;

  private Bound bindList(Node node, Type element, String path) {
    if (!(node instanceof SequenceNode seq)) {
      return error(node, path, "expected a list of " + describe(element) + " ([a, b] or one '- item' per line)");
    }
    if (seq.getValue().size() > MAX_LIST) {
      return error(node, path, "a list of " + seq.getValue().size() + " items; a config list (layers included) may have at most "
          + MAX_LIST);
    }
    List<Object> values = new ArrayList<>();
    List<Object> resolved = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.getValue().size(); i++) {
      Bound b = bind(seq.getValue().get(i), element, path + "[" + i + "]");
      ok &= b.ok();
      values.add(b.value());
      resolved.add(b.resolved());
    }
    return ok ? Bound.of(List.copyOf(values), resolved) : Bound.FAILED;
  }

  /** A mapping of strings to strings ({@code init_from.map}), in file order. */
  private Bound bindStringMap(Node node, String path) {
    if (!(node instanceof MappingNode map)) return error(node, path, "expected a mapping of names to names ({a: b, c: d})");
    Map<String, String> values = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k) || !(t.getValueNode() instanceof ScalarNode v) || v.getTag().equals(Tag.NULL)) {
        ok &= error(t.getKeyNode(), path, "each entry maps a name to a name, e.g. 'fc1.weight: layers.0.weight'").ok();
        continue;
      }
      positions.putIfAbsent(path + "." + k.getValue(), position(k));
      values.put(k.getValue(), v.getValue());
    }
    return ok ? Bound.of(java.util.Collections.unmodifiableMap(values), new LinkedHashMap<>(values)) : Bound.FAILED;
  }

  private static final Pattern LAYER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A layer of the model: a layer component plus its optional {@code name} and {@code inputs}. */
  private Bound bindNode(Node node, String path) {
    String name = null;
    List<String> inputs = List.of();
    boolean trainable = true;
    boolean ok = true;
    if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) continue;
        if (k.getValue().equals("name")) {
          Bound b = bind(t.getValueNode(), String.class, path + ".name");
          ok &= b.ok();
          if (b.ok()) {
            name = (String) b.value();
            if (!LAYER_NAME.matcher(name).matches() || name.equals(dev.neurite.nn.Node.MODEL_INPUT)) {
              ok &= error(t.getValueNode(), path + ".name", "a layer name is letters, digits and '_' (not starting with a digit), "
                  + "and not 'input', which names the model's input; got '" + Messages.echo(name) + "'").ok();
            }
          }
        } else if (k.getValue().equals("trainable")) {
          Bound b = bind(t.getValueNode(), boolean.class, path + ".trainable");
          ok &= b.ok();
          if (b.ok()) trainable = (Boolean) b.value();
        } else if (k.getValue().equals("inputs")) {
          Bound b = bind(t.getValueNode(), Types.listOf(String.class), path + ".inputs");
          ok &= b.ok();
          if (b.ok()) {
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) b.value();
            inputs = list;
            if (inputs.isEmpty()) ok &= error(t.getValueNode(), path + ".inputs", "name at least one input, or leave inputs out").ok();
          }
        }
      }
    }
    Bound layer = bindComponent(node, ComponentKind.LAYER, path, Set.of("type", "name", "inputs", "trainable"));
    if (!ok || !layer.ok()) return Bound.FAILED;
    Object resolved = layer.resolved();
    if (name != null || !inputs.isEmpty() || !trainable) {
      Map<String, Object> tree = new LinkedHashMap<>();
      if (resolved instanceof Map<?, ?> m) m.forEach((k, v) -> tree.put((String) k, v));
      else tree.put("type", resolved);
      if (name != null) tree.put("name", name);
      if (!inputs.isEmpty()) tree.put("inputs", inputs);
      if (!trainable) tree.put("trainable", false);
      resolved = tree;
    }
    return Bound.of(new dev.neurite.nn.Node(name, inputs, (Layer) layer.value(), trainable), resolved);
  }

  private <T> Bound bindComponent(Node node, ComponentKind<T> kind, String path) {
    return bindComponent(node, kind, path, Set.of("type"));
  }

  private <T> Bound bindComponent(Node node, ComponentKind<T> kind, String path, Set<String> ownKeys) {
    String name;
    MappingNode params = null;
    Node nameNode = node;
    if (node instanceof ScalarNode scalar) {
      name = scalar.getValue();
    } else if (node instanceof MappingNode map) {
      params = map;
      NodeTuple typeEntry = map.getValue().stream()
          .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("type"))
          .findFirst().orElse(null);
      if (typeEntry == null) {
        return error(node, path, "a " + kind + " needs 'type:' naming one of: " + String.join(", ", registry.names(kind)));
      }
      nameNode = typeEntry.getValueNode();
      if (!(nameNode instanceof ScalarNode typeScalar)) return error(nameNode, path + ".type", "expected a " + kind + " name");
      name = typeScalar.getValue();
    } else {
      return error(node, path, "expected a " + kind + ": a name, or a mapping with 'type:' and its parameters");
    }
    var lookup = registry.lookup(kind, name);
    if (!lookup.ambiguous().isEmpty()) {
      return error(nameNode, path, "'" + Messages.echo(name) + "' is ambiguous: " + String.join(", ", lookup.ambiguous().stream()
          .map(t -> t.name() + " (" + t.source() + ")").toList()) + "; write the full name");
    }
    if (lookup.found().isEmpty()) {
      List<String> names = registry.names(kind);
      String broken = registry.problems().isEmpty() ? "" : ". Note: " + String.join("; ", registry.problems());
      String namespace = name.indexOf(':') > 0 ? name.substring(0, name.indexOf(':') + 1) : null;
      if (namespace != null && registry.all().stream().noneMatch(t -> t.name().startsWith(namespace))) {
        broken += ". No installed plugin provides the namespace '" + namespace.substring(0, namespace.length() - 1)
            + "': load its jar with --plugins DIR (or NEURITE_PLUGINS)";
      }
      return error(nameNode, path, "unknown " + kind + " type '" + Messages.echo(name) + "'" + Suggestions.didYouMean(name, names)
          + " Available: " + (names.isEmpty() ? "none (no plugin registers a " + kind + ")" : String.join(", ", names)) + broken);
    }
    ComponentType<T> type = lookup.found().get();
    name = type.name();
    Bound p = bindRecord(params, node, type.params(), path, ownKeys);
    if (!p.ok()) return Bound.FAILED;
    Object resolved;
    @SuppressWarnings("unchecked")
    Map<String, Object> paramTree = (Map<String, Object>) p.resolved();
    if (paramTree.isEmpty()) {
      resolved = name;
    } else {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("type", name);
      tree.putAll(paramTree);
      resolved = tree;
    }
    Nondeterministic nd = type.implementation().getAnnotation(Nondeterministic.class);
    if (nd != null) nondeterministic.put(path, name + " (" + nd.value() + ")");
    try {
      return Bound.of(registry.create(type, (Record) p.value(), path, streams.apply(path)), resolved);
    } catch (NeuriteException e) {
      return error(node, path, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(node, path, name + ": " + e.getMessage());
    }
  }

  /**
   * Binds a mapping (or nothing, when every key has a default) to a record. {@code extraKeys} are
   * keys that belong to the caller ({@code type}).
   */
  private Bound bindRecord(MappingNode map, Node anchor, Class<? extends Record> cls, String path, Set<String> extraKeys) {
    RecordComponent[] components = cls.getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent c : components) byKey.put(Names.yamlKey(c.getName()), c);

    Map<String, NodeTuple> given = new LinkedHashMap<>();
    boolean ok = true;
    if (map != null) {
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
          ok &= error(t.getKeyNode(), path, "keys must be plain names").ok();
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = join(path, key);
        NodeTuple first = given.putIfAbsent(key, t);
        if (first != null) {
          ok &= error(keyNode, keyPath, "duplicate key '" + Messages.echo(key) + "' (first given at line "
              + (first.getKeyNode().getStartMark().getLine() + 1) + ")").ok();
        } else if (!byKey.containsKey(key) && !extraKeys.contains(key)) {
          String valid = byKey.isEmpty() ? "it takes no parameters" : "valid keys: " + String.join(", ", byKey.keySet());
          ok &= error(keyNode, keyPath, "unknown key '" + Messages.echo(key) + "'" + Suggestions.didYouMean(key, byKey.keySet()) + " (" + valid + ")").ok();
        }
      }
    }

    Object[] args = new Object[components.length];
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String key = Names.yamlKey(c.getName());
      String keyPath = join(path, key);
      NodeTuple entry = given.get(key);
      Bound b;
      if (entry != null) {
        b = bind(entry.getValueNode(), c.getGenericType(), keyPath);
        if (b.ok()) b = checkBounds(c, b, entry.getValueNode(), keyPath);
      } else if (c.isAnnotationPresent(Default.class)) {
        b = bindDefault(c, anchor, keyPath);
      } else if (c.getType() == Optional.class) {
        b = Bound.of(Optional.empty(), null);
      } else {
        var doc = c.getAnnotation(Doc.class);
        b = error(anchor, path, "missing required key '" + key + "'" + (doc == null ? "" : " (" + doc.value() + ")"));
      }
      ok &= b.ok();
      args[i] = b.value();
      resolved.put(key, b.resolved());
    }
    if (!ok) return Bound.FAILED;
    try {
      Constructor<? extends Record> ctor = cls.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      ctor.setAccessible(true);
      return Bound.of(ctor.newInstance(args), resolved);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException || cause instanceof NeuriteException) {
        return error(anchor, path, cause.getMessage());
      }
      throw new IllegalStateException("parameter record " + cls.getName() + " failed: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct parameter record " + cls.getName(), e);
    }
  }

  private Bound bindDefault(RecordComponent c, Node anchor, String keyPath) {
    String text = c.getAnnotation(Default.class).value();
    Position saved = defaultOrigin;
    defaultOrigin = position(anchor);
    try {
      Node node = YamlFiles.compose(text, "@Default of " + c.getDeclaringRecord().getSimpleName() + "." + c.getName());
      if (node == null) throw new IllegalStateException("empty @Default on " + c);
      return bind(node, c.getGenericType(), keyPath);
    } finally {
      defaultOrigin = saved;
    }
  }

  private Bound checkBounds(RecordComponent c, Bound b, Node node, String path) {
    if (!(b.value() instanceof Number n)) return b;
    double v = n.doubleValue();
    Min min = c.getAnnotation(Min.class);
    Max max = c.getAnnotation(Max.class);
    boolean tooLow = min != null && (min.exclusive() ? v <= min.value() : v < min.value());
    boolean tooHigh = max != null && (max.exclusive() ? v >= max.value() : v > max.value());
    if (tooLow || tooHigh) {
      return error(node, path, "must be " + Bounds.describe(min, max) + ", got " + b.resolved());
    }
    return b;
  }


  private Bound bindScalar(Node node, Class<?> cls, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      return error(node, path, "expected " + describe(cls) + ", got a " + (node instanceof MappingNode ? "mapping" : "list"));
    }
    String text = scalar.getValue().trim();
    if (cls == String.class) return Bound.of(scalar.getValue(), scalar.getValue());
    if (cls == boolean.class || cls == Boolean.class) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> Bound.of(true, true);
        case "false", "no", "off" -> Bound.of(false, false);
        default -> error(node, path, "expected true or false, got '" + Messages.echo(text) + "'");
      };
    }
    if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class) {
      long v;
      try {
        v = Long.parseLong(text.replace("_", ""));
      } catch (NumberFormatException e) {
        return error(node, path, "expected a whole number, got '" + Messages.echo(text) + "'");
      }
      if (cls == int.class || cls == Integer.class) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return error(node, path, "number out of range: " + text);
        return Bound.of((int) v, (int) v);
      }
      return Bound.of(v, v);
    }
    if (cls == double.class || cls == Double.class || cls == float.class || cls == Float.class) {
      double v;
      try {
        v = Double.parseDouble(text.replace("_", ""));
      } catch (NumberFormatException e) {
        return error(node, path, "expected a number, got '" + Messages.echo(text) + "'");
      }
      if (!Double.isFinite(v)) return error(node, path, "expected a finite number, got '" + Messages.echo(text) + "'");
      if (cls == float.class || cls == Float.class) return Bound.of((float) v, (double) (float) v);
      return Bound.of(v, v);
    }
    if (cls == Path.class) {
      ConfigLayers.Origin origin = layers == null ? null : layers.originOf(scalar);
      Path p;
      try {
        p = (origin != null ? origin.baseDir() : baseDir).resolve(scalar.getValue()).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        return error(node, path, "not a valid file path: " + Messages.brief(e));
      }
      // a FIFO would block the first read forever, a device (/dev/zero, /dev/urandom) never ends
      if (Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p)) {
        return error(node, path, p + " is not a regular file (a device, pipe or socket); inputs must be regular files");
      }
      return Bound.of(p, p.toString());
    }
    if (cls.isEnum()) {
      for (Object constant : cls.getEnumConstants()) {
        String yamlName = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
        if (yamlName.equals(text.toLowerCase(Locale.ROOT))) return Bound.of(constant, yamlName);
      }
      List<String> names = Arrays.stream(cls.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList();
      return error(node, path, "expected one of " + String.join(", ", names) + ", got '" + Messages.echo(text) + "'" + Suggestions.didYouMean(text, names));
    }
    throw new IllegalStateException("unsupported parameter type " + cls.getName() + " at " + path);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String keysOf(Class<? extends Record> cls) {
    return String.join(", ", Arrays.stream(cls.getRecordComponents()).map(c -> Names.yamlKey(c.getName())).toList());
  }

  static String describe(Type type) {
    if (type instanceof ParameterizedType opt && opt.getRawType() == Optional.class) {
      return describe(opt.getActualTypeArguments()[0]) + " (optional)";
    }
    if (type instanceof ParameterizedType pt && pt.getRawType() == List.class) {
      return "a list of " + describe(pt.getActualTypeArguments()[0]);
    }
    if (!(type instanceof Class<?> c)) return type.getTypeName();
    var kind = ComponentKind.forType(c);
    if (kind.isPresent()) return "a " + kind.get();
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) return "a whole number";
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) return "a number";
    if (c == boolean.class || c == Boolean.class) return "true or false";
    if (c == String.class) return "a string";
    if (c == Path.class) return "a file path";
    if (c == Map.class) return "a mapping of names to names";
    if (c.isEnum()) return "one of " + String.join(", ", Arrays.stream(c.getEnumConstants())
        .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList());
    if (c.isRecord()) return "a mapping";
    return c.getSimpleName();
  }
}
