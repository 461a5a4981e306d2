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

  /** {@code x[i cols + j] += v[j]} for rows from <= i < to and every column j < cols (a bias added to each row). */
  void addToRows(float[] x, int cols, float[] v, int from, int to);

  /**
   * Column sums of a row-major matrix ({@code cols} values a row) added in: {@code out[o + j] += x[at + i cols + j]}
   * for every row i < rows in order, j < width. Each column's sum is that sequence of additions in every
   * implementation.
   */
  void columnSums(float[] x, int at, int rows, int cols, float[] out, int o, int width);

  /**
   * One output row of 2x2 max pooling with stride 2 and no padding: for ow < outW, with
   * i = row + 2 ow, the largest of in[i], in[i + 1], in[i + width], in[i + width + 1] into
   * out[o + ow] and its index into argmax[o + ow]. The taps are compared in that order and a tap
   * wins only when it is greater ({@code >}) than the best so far: the first maximum is kept, a NaN
   * in the first tap stays, a later NaN never wins, and -0 before +0 stays -0.
   */
  void maxPool2x2(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW);

  /** {@code x[i] = 1 / (1 + exp(-x[i]))} in place, for from <= i < to, with {@link #exp}. */
  void sigmoid(float[] x, int from, int to);

  /** {@code x[i] = tanh(x[i])} in place, for from <= i < to, with {@link #tanh(float)}. */
  void tanh(float[] x, int from, int to);

  /** Clamps of exp's argument: 2^k stays a normal float for k = round(x log2 e). */
  float EXP_LOW = -87f;
  float EXP_HIGH = 88f;
  float LOG2E = 1.44269504088896341f;
  /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, which its low bits then hold. */
  float ROUNDER = 12582912f;
  /** Below this magnitude tanh is a polynomial; above it, 1 - 2 / (exp(2x) + 1). */
  float TANH_SMALL = 0.625f;

  /**
   * exp(x) in float, as Cephes' expf: x = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 in two parts), a degree-6
   * polynomial for exp(r), times 2^k built in the exponent bits; within 2 ulp of the exact value, with
   * x clamped to [-87, 88]. Every step is one float operation or a fused multiply-add, in the same order
   * in the vector implementation, so both give the same bits.
   */
  static float exp(float x) {
    x = Math.min(Math.max(x, EXP_LOW), EXP_HIGH);
    float t = Math.fma(x, LOG2E, ROUNDER);
    float k = t - ROUNDER;
    float r = Math.fma(k, -0.693359375f, x);
    r = Math.fma(k, 2.12194440e-4f, r);
    float p = 1.9875691500e-4f;
    p = Math.fma(p, r, 1.3981999507e-3f);
    p = Math.fma(p, r, 8.3334519073e-3f);
    p = Math.fma(p, r, 4.1665795894e-2f);
    p = Math.fma(p, r, 1.6666665459e-1f);
    p = Math.fma(p, r, 5.0000001201e-1f);
    float e = Math.fma(p, r * r, r) + 1f;
    return e * Float.intBitsToFloat((Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUNDER) + 127) << 23);
  }

  static float sigmoid(float x) {
    return 1f / (1f + exp(-x));
  }

  /** tanh(x): Cephes' tanhf polynomial below 0.625 in magnitude, 1 - 2 / (exp(2|x|) + 1) above; computed on |x|, x's sign bit put back (tanh(-0) = -0). */
  static float tanh(float x) {
    float a = Math.abs(x);
    float y;
    if (a < TANH_SMALL) {
      float z = a * a;
      float p = -5.70498872745e-3f;
      p = Math.fma(p, z, 2.06390887954e-2f);
      p = Math.fma(p, z, -5.37397155531e-2f);
      p = Math.fma(p, z, 1.33314422036e-1f);
      p = Math.fma(p, z, -3.33332819422e-1f);
      y = Math.fma(p * z, a, a);
    } else {
      y = 1f - 2f / (exp(a + a) + 1f);
    }
    return Float.intBitsToFloat(Float.floatToRawIntBits(y) | (Float.floatToRawIntBits(x) & 0x80000000));
  }

  /** Plain loops. */
  final class Scalar implements Elementwise {
    @Override
    public void sigmoid(float[] x, int from, int to) {
      for (int i = from; i < to; i++) x[i] = Elementwise.sigmoid(x[i]);
    }

    @Override
    public void tanh(float[] x, int from, int to) {
      for (int i = from; i < to; i++) x[i] = Elementwise.tanh(x[i]);
    }

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

    @Override
    public void addToRows(float[] x, int cols, float[] v, int from, int to) {
      for (int i = from; i < to; i++) {
        int r = i * cols;
        for (int j = 0; j < cols; j++) x[r + j] += v[j];
      }
    }

    @Override
    public void columnSums(float[] x, int at, int rows, int cols, float[] out, int o, int width) {
      for (int i = 0; i < rows; i++) {
        int r = at + i * cols;
        for (int j = 0; j < width; j++) out[o + j] += x[r + j];
      }
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
