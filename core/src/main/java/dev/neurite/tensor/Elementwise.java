package dev.neurite.tensor;

/**
 * Elementwise loops that the JIT does not vectorize on its own (a data-dependent choice per element
 * becomes a mispredicted branch). Every implementation gives the same bits.
 */
interface Elementwise {
  /** {@code out[i] = in[i] > 0 ? in[i] : 0} for from <= i < to. */
  void relu(float[] in, float[] out, int from, int to);

  /** {@code gi[i] = go[i] * (x[i] > 0 ? 1 : 0)} for from <= i < to. */
  void reluGradient(float[] x, float[] go, float[] gi, int from, int to);

  /** Plain loops. */
  final class Scalar implements Elementwise {
    @Override
    public void relu(float[] in, float[] out, int from, int to) {
      for (int i = from; i < to; i++) {
        float x = in[i];
        out[i] = x > 0f ? x : 0f;
      }
    }

    @Override
    public void reluGradient(float[] x, float[] go, float[] gi, int from, int to) {
      for (int i = from; i < to; i++) gi[i] = go[i] * (x[i] > 0f ? 1f : 0f);
    }
  }
}
