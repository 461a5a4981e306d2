package dev.neurite.spi;

/** A component's place in the config ({@code model.layers[2]}); injectable, for messages. */
public record ComponentPath(String value) {
  @Override
  public String toString() {
    return value;
  }
}
