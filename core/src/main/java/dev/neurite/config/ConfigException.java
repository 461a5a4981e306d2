package dev.neurite.config;

import dev.neurite.spi.NeuriteException;
import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a config, reported together. */
public final class ConfigException extends NeuriteException {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  public ConfigException(ConfigError error) {
    this(List.of(error));
  }

  public List<ConfigError> errors() {
    return errors;
  }

  private static String format(List<ConfigError> errors) {
    String list = errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    return (errors.size() == 1 ? "1 error" : errors.size() + " errors") + " in the config:\n" + list;
  }
}
