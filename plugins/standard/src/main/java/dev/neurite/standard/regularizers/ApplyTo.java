package dev.neurite.standard.regularizers;

import dev.neurite.spi.Param;

/** Which params a regularizer acts on: weights (params that decay, the default), biases, or all. */
public enum ApplyTo {
  WEIGHTS,
  BIASES,
  ALL;

  boolean includes(Param p) {
    return this == ALL || (this == WEIGHTS) == p.decays();
  }
}
