package dev.neurite.standard.schedules;

/** What a schedule counts: finished epochs, or optimizer steps. */
public enum Unit {
  EPOCH,
  STEP;

  boolean perStep() {
    return this == STEP;
  }
}
