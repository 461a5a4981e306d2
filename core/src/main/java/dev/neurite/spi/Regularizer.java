package dev.neurite.spi;

import java.util.List;

/**
 * A penalty on the params, added to the objective's gradient (L1, L2), or a constraint that projects
 * the params back into a set after every optimizer step (max-norm, non-negativity), or both.
 */
public interface Regularizer {
  /** The penalty's value for the current params (0 for a pure constraint). */
  double penalty(List<Param> params);

  /** Adds d(penalty)/d(param) into each param's gradient. */
  void addGradient(List<Param> params);

  /** Called after each optimizer step: projects the params onto the constraint, if there is one. */
  default void constrain(List<Param> params) {}
}
