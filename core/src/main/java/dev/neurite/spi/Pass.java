package dev.neurite.spi;

/** What kind of forward pass this is: training (dropout active, statistics updated) or inference. */
public enum Pass {
  TRAINING,
  INFERENCE;

  public boolean training() {
    return this == TRAINING;
  }
}
