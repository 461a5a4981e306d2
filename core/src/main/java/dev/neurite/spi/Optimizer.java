package dev.neurite.spi;

import java.util.List;

/** Updates params from their accumulated gradients. Sees only {@link Param}s, so it works for every layer. */
public interface Optimizer {
  void step(List<Param> params, StepInfo step);
}
