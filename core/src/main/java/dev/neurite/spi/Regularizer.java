package dev.neurite.spi;

import java.util.List;

/** A penalty on the params, added to the objective. */
public interface Regularizer {
  /** The penalty's value for the current params. */
  double penalty(List<Param> params);

  /** Adds d(penalty)/d(param) into each param's gradient. */
  void addGradient(List<Param> params);
}
