package dev.neurite.check;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's first updates worked out by hand (or by a reference implementation): one param
 * starting at {@link #start}, the gradient of each step, and the param's values after it. A missing
 * bias correction or a wrong coefficient descends a quadratic just as well, so only known numbers
 * catch it.
 *
 * <pre>{@code
 * KnownUpdates.of(new float[] {0.5f, -1f}, true)           // a weight that decays
 *     .step(new float[] {0.2f, -0.4f}, new float[] {0.49f, -0.99f})
 *     .step(new float[] {0.1f, 0.3f}, new float[] {0.48f, -1.0f});
 * }</pre>
 *
 * @param decays whether the param decays (a weight) or not (a bias)
 * @param tolerance the largest accepted |actual - expected| / max(1, |expected|)
 */
public record KnownUpdates(float[] start, boolean decays, List<Step> steps, double tolerance) {
  /** One optimizer step: the gradient it is given and the values it must leave. */
  public record Step(float[] gradient, float[] expected) {}

  public KnownUpdates {
    steps = List.copyOf(steps);
    for (Step s : steps) {
      if (s.gradient().length != start.length || s.expected().length != start.length) {
        throw new IllegalArgumentException("every step needs " + start.length + " gradient values and " + start.length + " expected values");
      }
    }
  }

  /** No steps yet, with the tolerance of float32 arithmetic in a different order (1e-6). */
  public static KnownUpdates of(float[] start, boolean decays) {
    return new KnownUpdates(start.clone(), decays, List.of(), 1e-6);
  }

  /** These updates and one more step. */
  public KnownUpdates step(float[] gradient, float[] expected) {
    List<Step> more = new ArrayList<>(steps);
    more.add(new Step(gradient.clone(), expected.clone()));
    return new KnownUpdates(start, decays, more, tolerance);
  }

  /** The same updates compared with another tolerance. */
  public KnownUpdates withTolerance(double relative) {
    return new KnownUpdates(start, decays, steps, relative);
  }
}
