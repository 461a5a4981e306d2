package dev.neurite.config;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A JSON Schema (draft 2020-12) of the experiment config, generated from the same records the binder
 * reads and from the live plugin set: every component kind's type names, each type's parameters with
 * their types, defaults, bounds and docs. Editors' YAML language servers use it for completion,
 * hover docs and checks as you type; {@code validate} stays the full check (data, shapes, ranges that
 * depend on each other).
 */
public final class ConfigSchema {
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  /** A string holding an environment reference stands for any scalar: it is resolved before binding. */
  private static final Map<String, Object> ENV_REFERENCE = Map.of("type", "string", "pattern", "\\$\\{env:[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}");

  private final ComponentRegistry registry;

  private ConfigSchema(ComponentRegistry registry) {
    this.registry = registry;
  }

  /** The schema as a JSON-ready tree of maps and lists. */
  public static Map<String, Object> generate(ComponentRegistry registry) {
    return new ConfigSchema(registry).root();
  }

  private Map<String, Object> root() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("$schema", DIALECT);
    root.put("title", "Neurite experiment config");
    root.putAll(record(ExperimentSpec.class, List.of()));
    Map<String, Object> defs = new LinkedHashMap<>();
    for (ComponentKind<?> kind : ComponentKind.ALL) defs.put(defName(kind), component(kind, kind == ComponentKind.LAYER));
    defs.put("env_reference", ENV_REFERENCE);
    root.put("$defs", defs);
    return root;
  }

  static String defName(ComponentKind<?> kind) {
    return kind.name().replace(' ', '_');
  }

  /**
   * A component of one kind: a bare type name (for a type whose parameters all have defaults), or a
   * mapping with {@code type:} and that type's parameters. A layer may also take {@code name} and
   * {@code inputs}.
   */
  private Map<String, Object> component(ComponentKind<?> kind, boolean layer) {
    List<String> allNames = new ArrayList<>();
    List<String> bare = new ArrayList<>();
    List<Object> cases = new ArrayList<>();
    for (String name : registry.names(kind)) {
      ComponentType<?> type = registry.lookup(kind, name).found().orElseThrow();
      List<String> spellings = spellings(kind, name);
      allNames.addAll(spellings);
      boolean anyRequired = Arrays.stream(type.params().getRecordComponents()).anyMatch(ConfigSchema::required);
      if (!anyRequired) bare.addAll(spellings);
      List<Map.Entry<String, Object>> own = new ArrayList<>();
      own.add(Map.entry("type", Map.of()));
      if (layer) {
        own.add(Map.entry("name", Map.of("type", "string", "pattern", "^[A-Za-z_][A-Za-z0-9_]*$",
            "description", "this layer's name, for other layers' inputs")));
        own.add(Map.entry("trainable", Map.of("type", "boolean", "default", true,
            "description", "false freezes the layer: no updates, no weight decay, batch norm statistics kept (inference mode)")));
        own.add(Map.entry("inputs", Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 1,
            "description", "the layers this one reads (earlier layers' names, or input); default: the previous layer")));
      }
      Map<String, Object> then = record(type.params(), own);
      if (!type.doc().isEmpty()) then.put("description", type.doc());
      Map<String, Object> when = new LinkedHashMap<>();
      when.put("if", Map.of("properties", Map.of("type", Map.of("enum", spellings))));
      when.put("then", then);
      cases.add(when);
    }
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("type", "object");
    mapping.put("properties", Map.of("type", Map.of("enum", allNames, "description", "the " + kind + " type")));
    mapping.put("required", List.of("type"));
    if (!cases.isEmpty()) mapping.put("allOf", cases);
    Map<String, Object> def = new LinkedHashMap<>();
    def.put("description", (kind.name().matches("[aeiou].*") ? "an " : "a ") + kind + ": " + (bare.isEmpty() ? "" : "a name, or ") + "a mapping with type: and its parameters");
    def.put("anyOf", List.of(Map.of("enum", bare), mapping));
    return def;
  }

  /** A type's full name and, when it is namespaced and no other namespace has it, its bare name (as the binder accepts). */
  private List<String> spellings(ComponentKind<?> kind, String name) {
    int colon = name.indexOf(':');
    if (colon < 0) return List.of(name);
    String bare = name.substring(colon + 1);
    var lookup = registry.lookup(kind, bare);
    return lookup.found().isPresent() && lookup.found().get().name().equals(name) ? List.of(name, bare) : List.of(name);
  }

  private static boolean required(RecordComponent c) {
    return !c.isAnnotationPresent(Default.class) && c.getType() != Optional.class;
  }

  /** A record as a closed mapping: its keys, those without a default required; {@code own} keys come first. */
  private Map<String, Object> record(Class<? extends Record> cls, List<Map.Entry<String, Object>> own) {
    Map<String, Object> properties = new LinkedHashMap<>();
    own.forEach(e -> properties.put(e.getKey(), e.getValue()));
    List<String> required = new ArrayList<>();
    for (RecordComponent c : cls.getRecordComponents()) {
      String key = Names.yamlKey(c.getName());
      Map<String, Object> schema = new LinkedHashMap<>(value(c.getGenericType(), c));
      Doc doc = c.getAnnotation(Doc.class);
      if (doc != null) schema.put("description", doc.value());
      Default d = c.getAnnotation(Default.class);
      if (d != null) schema.put("default", yamlValue(d.value()));
      properties.put(key, schema);
      if (required(c)) required.add(key);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) schema.put("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  /** The schema of one value of {@code type}; {@code c} carries its bounds (or is null inside a list). */
  private Map<String, Object> value(Type type, RecordComponent c) {
    if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      return Map.of("anyOf", List.of(value(p.getActualTypeArguments()[0], c), Map.of("type", "null")));
    }
    if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
      return Map.of("type", "object", "additionalProperties", Map.of("type", "string"));
    }
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return Map.of("type", "array", "items", value(p.getActualTypeArguments()[0], null), "maxItems", ConfigBinder.MAX_LIST);
    }
    if (!(type instanceof Class<?> cls)) throw new IllegalStateException("unsupported parameter type " + type);
    if (cls == dev.neurite.nn.Node.class) return ref(ComponentKind.LAYER);
    if (cls == org.yaml.snakeyaml.nodes.Node.class) return Map.of(); // any YAML, e.g. a sweep's candidate values
    var kind = ComponentKind.forType(cls);
    if (kind.isPresent()) return ref(kind.get());
    if (cls.isRecord()) {
      @SuppressWarnings("unchecked")
      Class<? extends Record> rc = (Class<? extends Record>) cls;
      return record(rc, List.of());
    }
    if (cls == String.class || cls == Path.class) return Map.of("type", "string");
    Map<String, Object> scalar = new LinkedHashMap<>();
    if (cls == boolean.class || cls == Boolean.class) {
      scalar.put("type", "boolean");
    } else if (cls == int.class || cls == Integer.class) {
      scalar.put("type", "integer");
      scalar.put("minimum", Integer.MIN_VALUE);
      scalar.put("maximum", Integer.MAX_VALUE);
    } else if (cls == long.class || cls == Long.class) {
      scalar.put("type", "integer");
      scalar.put("minimum", Long.MIN_VALUE);
      scalar.put("maximum", Long.MAX_VALUE);
    } else if (cls == double.class || cls == Double.class || cls == float.class || cls == Float.class) {
      scalar.put("type", "number");
    } else if (cls.isEnum()) {
      scalar.put("enum", Arrays.stream(cls.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList());
    } else {
      throw new IllegalStateException("unsupported parameter type " + cls.getName());
    }
    Min min = c == null ? null : c.getAnnotation(Min.class);
    Max max = c == null ? null : c.getAnnotation(Max.class);
    if (min != null) scalar.put(min.exclusive() ? "exclusiveMinimum" : "minimum", number(min.value()));
    if (max != null) scalar.put(max.exclusive() ? "exclusiveMaximum" : "maximum", number(max.value()));
    return Map.of("anyOf", List.of(scalar, Map.of("$ref", "#/$defs/env_reference")));
  }

  private static Map<String, Object> ref(ComponentKind<?> kind) {
    return Map.of("$ref", "#/$defs/" + defName(kind));
  }

  private static Object number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
  }

  private static Object yamlValue(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }
}
