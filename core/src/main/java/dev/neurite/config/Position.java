package dev.neurite.config;

/** A place in a config file, 1-based, shown as {@code file:line:column}. */
public record Position(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
