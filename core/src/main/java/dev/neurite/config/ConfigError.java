package dev.neurite.config;

/** One problem in a config: where it is, the key path ({@code model.layers[2].rate}) and what is wrong. */
public record ConfigError(Position position, String path, String message) {
  @Override
  public String toString() {
    return position + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
