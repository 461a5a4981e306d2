package dev.neurite.standard.losses;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.ElementwiseLoss;
import dev.neurite.spi.Min;
import jakarta.inject.Inject;

@Doc("Huber loss, as PyTorch's HuberLoss: 0.5 d^2 for |d| <= delta, delta (|d| - 0.5 delta) beyond, averaged over every element")
public final class Huber extends ElementwiseLoss {
  public record Params(@Doc("where the loss turns from quadratic to linear") @Default("1.0") @Min(value = 0, exclusive = true) double delta) {}

  private final double delta;

  @Inject
  public Huber(Params params) {
    this.delta = params.delta();
  }

  @Override
  protected String name() {
    return "huber";
  }

  @Override
  protected double value(float o, float t) {
    double d = Math.abs((double) o - t);
    return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  }

  @Override
  protected double derivative(float o, float t) {
    double d = (double) o - t;
    return Math.abs(d) <= delta ? d : delta * Math.signum(d);
  }
}
