package dev.neurite.spi;

/**
 * A component whose behaviour depends on what happened before (an optimizer's momentum, a layer's
 * running statistics, a schedule's plateau counter). {@link #state()} returns a copy; {@link #load}
 * restores one, so that a restored component continues bit for bit as the original would.
 */
public interface Stateful {
  State state();

  void load(State state);
}
