package dev.neurite.spi;

import java.util.Map;

/**
 * A learning-rate schedule: before every optimizer step it gives the factor by which the
 * optimizer's configured learning rate is multiplied (1 = unchanged). A schedule that reacts to
 * metrics (reduce on plateau) hears about each epoch's metrics, and keeps its memory in its state.
 */
public interface Schedule extends Stateful {
  /** Where training is: steps and epochs completed so far, steps per epoch and the planned epochs. */
  record Progress(long step, int epoch, int stepsPerEpoch, int epochs) {
    /** The step or epoch count, as the schedule's unit asks. */
    public double time(boolean perStep) {
      return perStep ? step : epoch;
    }

    /** Total steps or epochs planned. */
    public double total(boolean perStep) {
      return perStep ? (double) stepsPerEpoch * epochs : epochs;
    }
  }

  double factor(Progress progress);

  /** After each epoch; {@code metrics} holds {@code train_loss}, {@code validation_accuracy}, ... */
  default void onEpochEnd(int epoch, Map<String, Double> metrics) {}

  @Override
  default State state() {
    return State.EMPTY;
  }

  @Override
  default void load(State state) {}
}
