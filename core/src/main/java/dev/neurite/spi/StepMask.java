package dev.neurite.spi;

import java.util.Arrays;

/**
 * Which time steps of a batch of sequences are real and which are padding, {@code [batch, time]}: how
 * variable-length sequences padded to one length travel through a model. A layer that marks padding
 * ({@code embedding} with a {@code padding_index}) starts a mask; the model hands it to every later layer
 * that keeps the time axis, and a layer that honours it treats the padded steps as absent: a recurrence
 * carries its state over them, attention does not attend to them, a reducer leaves them out.
 *
 * <p>Padding may sit at the end (as PyTorch's packed sequences) or anywhere; a sequence with no real step
 * gives zeros where a reducer needs at least one.
 */
public final class StepMask {
  /**
   * The class-index target of a padded step in per-step targets ({@code [time]}): the per-step losses and
   * metrics leave such a step out, as PyTorch's {@code ignore_index} default does.
   */
  public static final float IGNORED_TARGET = -100f;

  private boolean[] real = new boolean[0];
  private int batch;
  private int steps;

  /** A mask for {@code batch} sequences of {@code steps} steps, all real; {@code reused} is refilled when it is large enough. */
  public static StepMask reuse(StepMask reused, int batch, int steps) {
    StepMask m = reused == null ? new StepMask() : reused;
    if (m.real.length < batch * steps) m.real = new boolean[batch * steps];
    m.batch = batch;
    m.steps = steps;
    Arrays.fill(m.real, 0, batch * steps, true);
    return m;
  }

  /** A mask from the lengths of sequences padded at the end. */
  public static StepMask ofLengths(int steps, int... lengths) {
    StepMask m = reuse(null, lengths.length, steps);
    for (int b = 0; b < lengths.length; b++) {
      for (int t = lengths[b]; t < steps; t++) m.set(b, t, false);
    }
    return m;
  }

  public int batch() {
    return batch;
  }

  public int steps() {
    return steps;
  }

  /** Whether step {@code t} of sequence {@code b} is real (not padding). */
  public boolean real(int b, int t) {
    return real[b * steps + t];
  }

  public void set(int b, int t, boolean isReal) {
    real[b * steps + t] = isReal;
  }

  /** The last real step of sequence {@code b}, or -1 when it has none. */
  public int lastReal(int b) {
    for (int t = steps - 1; t >= 0; t--) if (real[b * steps + t]) return t;
    return -1;
  }

  /** How many steps of sequence {@code b} are real. */
  public int count(int b) {
    int c = 0;
    for (int t = 0; t < steps; t++) if (real[b * steps + t]) c++;
    return c;
  }
}
