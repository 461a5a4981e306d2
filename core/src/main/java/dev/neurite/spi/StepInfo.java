package dev.neurite.spi;

/**
 * Where training is when an optimizer step happens: the 1-based step count and epoch, and the factor
 * a learning-rate schedule applies to the optimizer's configured learning rate (1 without a schedule).
 */
public record StepInfo(long step, int epoch, double lrFactor) {
  public StepInfo(long step, int epoch) {
    this(step, epoch, 1.0);
  }
}
