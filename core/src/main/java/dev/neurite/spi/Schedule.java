package dev.neurite.spi;

import java.util.Map;

/**
 * A learning-rate schedule: before every optimizer step it gives the factor by which the
 * optimizer's configured learning rate is multiplied (1 = unchanged). A schedule that reacts to
 * metrics (reduce on plateau) hears about each epoch's metrics, and keeps its memory in its state.
 */
public interface Schedule extends Stateful {
  /**
   * Where training is: steps and epochs completed so far, steps per epoch and the planned epochs. The
   * trainer keeps one and {@linkplain #set sets} it before each step (no object per step): read it
   * during {@link #factor} and keep its values, never the object itself.
   */
  final class Progress {
    private long step;
    private int epoch;
    private int stepsPerEpoch;
    private int epochs;

    public Progress(long step, int epoch, int stepsPerEpoch, int epochs) {
      set(step, epoch, stepsPerEpoch, epochs);
    }

    /** Moves this to another step (the trainer's, once per step); returns this. */
    public Progress set(long step, int epoch, int stepsPerEpoch, int epochs) {
      this.step = step;
      this.epoch = epoch;
      this.stepsPerEpoch = stepsPerEpoch;
      this.epochs = epochs;
      return this;
    }

    public long step() {
      return step;
    }

    public int epoch() {
      return epoch;
    }

    public int stepsPerEpoch() {
      return stepsPerEpoch;
    }

    public int epochs() {
      return epochs;
    }

    /** The step or epoch count, as the schedule's unit asks. */
    public double time(boolean perStep) {
      return perStep ? step : epoch;
    }

    /** Total steps or epochs planned. */
    public double total(boolean perStep) {
      return perStep ? (double) stepsPerEpoch * epochs : epochs;
    }

    @Override
    public String toString() {
      return "Progress[step=" + step + ", epoch=" + epoch + ", stepsPerEpoch=" + stepsPerEpoch + ", epochs=" + epochs + "]";
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
