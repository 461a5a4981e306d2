package dev.neurite.tensor;

/**
 * Elementwise loops that the JIT does not vectorize on its own (a data-dependent choice per element
 * becomes a mispredicted branch). Every implementation gives the same bits, except that a NaN may
 * come out as another NaN (the Vector API's code before the JIT compiles it does not keep payloads).
 */
interface Elementwise {
  /** {@code out[i] = in[i] > 0 ? in[i] : 0} for from <= i < to. */
  void relu(float[] in, float[] out, int from, int to);

  /** {@code gi[i] = go[i] * (x[i] > 0 ? 1 : 0)} for from <= i < to. */
  void reluGradient(float[] x, float[] go, float[] gi, int from, int to);

  /**
   * One output row of 2x2 max pooling with stride 2 and no padding: for ow < outW, with
   * i = row + 2 ow, the largest of in[i], in[i + 1], in[i + width], in[i + width + 1] into
   * out[o + ow] and its index into argmax[o + ow]. The taps are compared in that order and a tap
   * wins only when it is greater ({@code >}) than the best so far: the first maximum is kept, a NaN
   * in the first tap stays, a later NaN never wins, and -0 before +0 stays -0.
   */
  void maxPool2x2(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW);

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

    /**
     * The comparisons as selects; C2 still compiles the float ones as jumps (x86 has no conditional
     * move for floats), mispredicted on about half the taps of real data, hence the vector version.
     */
    @Override
    public void maxPool2x2(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW) {
      for (int ow = 0; ow < outW; ow++) {
        int i = row + 2 * ow;
        int j = i + width;
        float best = in[i];
        int at = i;
        float v = in[i + 1];
        boolean gt = v > best;
        best = gt ? v : best;
        at = gt ? i + 1 : at;
        v = in[j];
        gt = v > best;
        best = gt ? v : best;
        at = gt ? j : at;
        v = in[j + 1];
        gt = v > best;
        best = gt ? v : best;
        at = gt ? j + 1 : at;
        out[o + ow] = best;
        argmax[o + ow] = at;
      }
    }
  }
}
