package dev.neurite.tensor;

/**
 * Elementwise loops that the JIT does not vectorize on its own (a data-dependent choice per element
 * becomes a mispredicted branch). Every implementation gives the same bits.
 */
interface Elementwise {
  /** {@code out[i] = in[i] > 0 ? in[i] : 0} for i < len. */
  void relu(float[] in, float[] out, int len);

  /** {@code gi[i] = go[i] * (x[i] > 0 ? 1 : 0)} for i < len. */
  void reluGradient(float[] x, float[] go, float[] gi, int len);

  /** Plain loops. */
  final class Scalar implements Elementwise {
    @Override
    public void relu(float[] in, float[] out, int len) {
      for (int i = 0; i < len; i++) {
        float x = in[i];
        out[i] = x > 0f ? x : 0f;
      }
    }

    @Override
    public void reluGradient(float[] x, float[] go, float[] gi, int len) {
      for (int i = 0; i < len; i++) gi[i] = go[i] * (x[i] > 0f ? 1f : 0f);
    }
  }
}
