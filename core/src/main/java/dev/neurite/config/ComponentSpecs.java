package dev.neurite.config;

import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.RandomStream;
import java.nio.file.Path;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/** Builds a single component from YAML text, as the config would: for examples, verification and tests. */
public final class ComponentSpecs {
  private ComponentSpecs() {}

  /**
   * The YAML a config would write for {@code type} with these parameters: {@code dense} or
   * {@code {type: dense, units: 4}}. {@code params} is the inside of a flow mapping ("units: 4, bias: false").
   */
  public static String yaml(ComponentType<?> type, String params) {
    return params.isBlank() ? type.name() : "{type: " + type.name() + ", " + params.trim() + "}";
  }

  /**
   * Creates {@code type} from {@code params} (see {@link #yaml}) at config path {@code path}; every
   * component, nested ones included, gets its random stream from {@code streams} by path.
   */
  public static <T> T create(ComponentRegistry registry, ComponentType<T> type, String params, String path,
                             Function<String, RandomStream> streams) {
    String source = "@Example of " + type.implementation().getName();
    Node node = YamlFiles.compose(yaml(type, params), source);
    ConfigBinder binder = new ConfigBinder(source, Path.of("").toAbsolutePath(), registry, streams);
    ConfigBinder.Bound bound = binder.bind(node, type.kind().type(), path);
    if (!binder.errors().isEmpty() || !bound.ok()) throw new ConfigException(binder.errors());
    return type.kind().type().cast(bound.value());
  }

  /** A component built from YAML text, and its resolved tree (every default filled in), as a config records it. */
  public record Built<T>(T component, Object resolved) {}

  /**
   * Builds a component of {@code kind} from YAML written by the user outside a config file (a command
   * line option): a name, or a flow mapping with {@code type:}. Errors name {@code source} (such as
   * {@code --method #2}) and say what would be valid, as config errors do.
   */
  public static <T> Built<T> fromYaml(ComponentRegistry registry, ComponentKind<T> kind, String yaml, String source, String path,
                                      Function<String, RandomStream> streams) {
    Node node = YamlFiles.compose(yaml, source);
    if (node == null) throw new ConfigException(new ConfigError(new Position(source, 1, 1), path, "expected a " + kind + ", got nothing"));
    ConfigBinder binder = new ConfigBinder(source, Path.of("").toAbsolutePath(), registry, streams);
    ConfigBinder.Bound bound = binder.bind(node, kind.type(), path);
    if (!binder.errors().isEmpty() || !bound.ok()) throw new ConfigException(binder.errors());
    return new Built<>(kind.type().cast(bound.value()), bound.resolved());
  }
}
