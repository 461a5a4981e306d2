package dev.neurite.spi;

import java.util.List;

/**
 * Updates params from their accumulated gradients. Sees only {@link Param}s, so it works for every
 * layer. An optimizer with memory (momentum, moment estimates) returns it from {@link #state()} and
 * restores it in {@link #load}, keyed by param name.
 */
public interface Optimizer extends Stateful {
  void step(List<Param> params, StepInfo step);

  @Override
  default State state() {
    return State.EMPTY;
  }

  @Override
  default void load(State state) {
    if (!state.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state, but a state was given");
  }
}
