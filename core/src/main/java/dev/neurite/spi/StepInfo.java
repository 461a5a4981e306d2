package dev.neurite.spi;

/**
 * Where training is when an optimizer step happens: the 1-based step count and epoch, and the factor
 * a learning-rate schedule applies to the optimizer's configured learning rate (1 without a schedule).
 *
 * <p>The trainer keeps one instance and {@linkplain #set sets} it before each step, so a step creates
 * no object: read it during {@link Optimizer#step} and keep its values, never the object itself.
 */
public final class StepInfo {
  private long step;
  private int epoch;
  private double lrFactor;

  public StepInfo(long step, int epoch, double lrFactor) {
    set(step, epoch, lrFactor);
  }

  public StepInfo(long step, int epoch) {
    this(step, epoch, 1.0);
  }

  /** Moves this to another step (the trainer's, once per step); returns this. */
  public StepInfo set(long step, int epoch, double lrFactor) {
    this.step = step;
    this.epoch = epoch;
    this.lrFactor = lrFactor;
    return this;
  }

  public long step() {
    return step;
  }

  public int epoch() {
    return epoch;
  }

  public double lrFactor() {
    return lrFactor;
  }

  @Override
  public String toString() {
    return "StepInfo[step=" + step + ", epoch=" + epoch + ", lrFactor=" + lrFactor + "]";
  }
}
