package dev.neurite.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@link Elementwise} on the Vector API: a compare and a blend per vector instead of a branch per element. */
final class VectorElementwise implements Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /**
   * The species' vector classes. A vector is cast to its exact class before a call to a final method
   * of FloatVector or IntVector ({@code intoArray}, {@code mul}, {@code add}): when the JIT has used
   * up its inlining budget it inlines such a call late, and then, not knowing the class, it compiles
   * the virtual calls inside as calls and boxes the vectors: megabytes per step in about one run in
   * ten (docs/performance.md, "Writing Vector API code that stays compiled"). {@link VectorGemm} does
   * the same.
   */
  private static final Class<? extends Vector<Float>> EXACT = S.vectorType();

  private static final Class<? extends Vector<Integer>> EXACT_INT = IntVector.SPECIES_PREFERRED.vectorType();

  /** {@link Elementwise#exp} on a vector: the same operations lane by lane. */
  private static FloatVector exp(FloatVector x) {
    x = (FloatVector) EXACT.cast(x.max(EXP_LOW).min(EXP_HIGH));
    FloatVector t = (FloatVector) EXACT.cast(x.fma(LOG2E, ROUNDER));
    FloatVector k = (FloatVector) EXACT.cast(t.sub(ROUNDER));
    FloatVector r = (FloatVector) EXACT.cast(k.fma(FloatVector.broadcast(S, -0.693359375f), x));
    r = (FloatVector) EXACT.cast(k.fma(FloatVector.broadcast(S, 2.12194440e-4f), r));
    FloatVector p = (FloatVector) EXACT.cast(r.fma(1.9875691500e-4f, 1.3981999507e-3f)); // fma(a, b, c) = fma(b, a, c)
    p = (FloatVector) EXACT.cast(p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f)));
    p = (FloatVector) EXACT.cast(p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f)));
    p = (FloatVector) EXACT.cast(p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f)));
    p = (FloatVector) EXACT.cast(p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f)));
    FloatVector e = (FloatVector) EXACT.cast(p.fma(r.mul(r), r).add(1f));
    IntVector bits = (IntVector) EXACT_INT.cast(t.reinterpretAsInts());
    IntVector scale = (IntVector) EXACT_INT.cast(bits.sub(Float.floatToRawIntBits(ROUNDER) - 127).lanewise(VectorOperators.LSHL, 23));
    return (FloatVector) EXACT.cast(e.mul(scale.reinterpretAsFloats()));
  }

  @Override
  public void sigmoid(float[] x, int from, int to) {
    FloatVector one = (FloatVector) EXACT.cast(FloatVector.broadcast(S, 1f));
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector v = (FloatVector) EXACT.cast(FloatVector.fromArray(S, x, i));
      FloatVector e = (FloatVector) EXACT.cast(exp(v.neg()));
      FloatVector denominator = (FloatVector) EXACT.cast(e.add(1f));
      ((FloatVector) EXACT.cast(one.div(denominator))).intoArray(x, i);
    }
    for (; i < to; i++) x[i] = Elementwise.sigmoid(x[i]);
  }

  @Override
  public void tanh(float[] x, int from, int to) {
    FloatVector one = (FloatVector) EXACT.cast(FloatVector.broadcast(S, 1f));
    FloatVector two = (FloatVector) EXACT.cast(FloatVector.broadcast(S, 2f));
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector v = (FloatVector) EXACT.cast(FloatVector.fromArray(S, x, i));
      FloatVector a = (FloatVector) EXACT.cast(v.abs());
      FloatVector z = (FloatVector) EXACT.cast(a.mul(a));
      FloatVector p = (FloatVector) EXACT.cast(z.fma(-5.70498872745e-3f, 2.06390887954e-2f));
      p = (FloatVector) EXACT.cast(p.fma(z, FloatVector.broadcast(S, -5.37397155531e-2f)));
      p = (FloatVector) EXACT.cast(p.fma(z, FloatVector.broadcast(S, 1.33314422036e-1f)));
      p = (FloatVector) EXACT.cast(p.fma(z, FloatVector.broadcast(S, -3.33332819422e-1f)));
      FloatVector pz = (FloatVector) EXACT.cast(p.mul(z));
      FloatVector small = (FloatVector) EXACT.cast(pz.fma(a, a));
      FloatVector e = (FloatVector) EXACT.cast(exp(a.add(a)));
      FloatVector denominator = (FloatVector) EXACT.cast(e.add(1f));
      FloatVector ratio = (FloatVector) EXACT.cast(two.div(denominator));
      FloatVector large = (FloatVector) EXACT.cast(one.sub(ratio));
      FloatVector y = (FloatVector) EXACT.cast(large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)));
      IntVector vBits = (IntVector) EXACT_INT.cast(v.reinterpretAsInts());
      IntVector sign = (IntVector) EXACT_INT.cast(vBits.and(0x80000000));
      IntVector bits = (IntVector) EXACT_INT.cast(y.reinterpretAsInts());
      IntVector signed = (IntVector) EXACT_INT.cast(bits.or(sign));
      ((FloatVector) EXACT.cast(signed.reinterpretAsFloats())).intoArray(x, i);
    }
    for (; i < to; i++) x[i] = Elementwise.tanh(x[i]);
  }

  @Override
  public void relu(float[] in, float[] out, int from, int to) {
    FloatVector zero = (FloatVector) EXACT.cast(FloatVector.zero(S));
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector x = (FloatVector) EXACT.cast(FloatVector.fromArray(S, in, i));
      VectorMask<Float> positive = x.compare(VectorOperators.GT, zero);
      ((FloatVector) EXACT.cast(zero.blend(x, positive))).intoArray(out, i);
    }
    for (; i < to; i++) out[i] = in[i] > 0f ? in[i] : 0f;
  }

  @Override
  public void reluGradient(float[] x, float[] go, float[] gi, int from, int to) {
    FloatVector zero = (FloatVector) EXACT.cast(FloatVector.zero(S));
    FloatVector one = (FloatVector) EXACT.cast(FloatVector.broadcast(S, 1f));
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector xv = (FloatVector) EXACT.cast(FloatVector.fromArray(S, x, i));
      VectorMask<Float> positive = xv.compare(VectorOperators.GT, zero);
      FloatVector g = (FloatVector) EXACT.cast(FloatVector.fromArray(S, go, i));
      FloatVector factor = (FloatVector) EXACT.cast(zero.blend(one, positive));
      ((FloatVector) EXACT.cast(g.mul(factor))).intoArray(gi, i);
    }
    for (; i < to; i++) gi[i] = go[i] * (x[i] > 0f ? 1f : 0f);
  }

  @Override
  public void addToRows(float[] x, int cols, float[] v, int from, int to) {
    int l = S.length();
    int whole = cols / l * l;
    for (int i = from; i < to; i++) {
      int r = i * cols;
      for (int j = 0; j < whole; j += l) {
        FloatVector row = (FloatVector) EXACT.cast(FloatVector.fromArray(S, x, r + j));
        ((FloatVector) EXACT.cast(row.add(FloatVector.fromArray(S, v, j)))).intoArray(x, r + j);
      }
      for (int j = whole; j < cols; j++) x[r + j] += v[j];
    }
  }

  /**
   * Four vectors of columns at a time, their sums kept in registers down all the rows (the scalar loop loads and
   * stores every sum once a row); the columns past the last whole vector one by one, each down all the rows.
   */
  @Override
  public void columnSums(float[] x, int at, int rows, int cols, float[] out, int o, int width) {
    int l = S.length();
    int j = 0;
    for (; j + 4 * l <= width; j += 4 * l) {
      FloatVector s0 = FloatVector.fromArray(S, out, o + j), s1 = FloatVector.fromArray(S, out, o + j + l);
      FloatVector s2 = FloatVector.fromArray(S, out, o + j + 2 * l), s3 = FloatVector.fromArray(S, out, o + j + 3 * l);
      for (int i = 0; i < rows; i++) {
        int r = at + i * cols + j;
        s0 = ((FloatVector) EXACT.cast(s0)).add(FloatVector.fromArray(S, x, r));
        s1 = ((FloatVector) EXACT.cast(s1)).add(FloatVector.fromArray(S, x, r + l));
        s2 = ((FloatVector) EXACT.cast(s2)).add(FloatVector.fromArray(S, x, r + 2 * l));
        s3 = ((FloatVector) EXACT.cast(s3)).add(FloatVector.fromArray(S, x, r + 3 * l));
      }
      ((FloatVector) EXACT.cast(s0)).intoArray(out, o + j);
      ((FloatVector) EXACT.cast(s1)).intoArray(out, o + j + l);
      ((FloatVector) EXACT.cast(s2)).intoArray(out, o + j + 2 * l);
      ((FloatVector) EXACT.cast(s3)).intoArray(out, o + j + 3 * l);
    }
    for (; j + l <= width; j += l) {
      FloatVector s0 = FloatVector.fromArray(S, out, o + j);
      for (int i = 0; i < rows; i++) s0 = ((FloatVector) EXACT.cast(s0)).add(FloatVector.fromArray(S, x, at + i * cols + j));
      ((FloatVector) EXACT.cast(s0)).intoArray(out, o + j);
    }
    for (; j < width; j++) {
      float sum = out[o + j];
      for (int i = 0; i < rows; i++) sum += x[at + i * cols + j];
      out[o + j] = sum;
    }
  }

  /** 2x2 pooling takes 8 windows at a time (16 input columns, 256-bit vectors, on AVX2 and AVX-512 alike), or 4 in short rows. */
  private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
  private static final Elementwise SCALAR = new Elementwise.Scalar();
  /** Whether the machine has 256-bit vectors (else the JVM would run them as plain Java, slowly, and short rows do better). */
  private static final boolean WIDE = S.vectorBitSize() >= 256;
  private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
  private static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
  private static final Class<? extends Vector<Float>> EXACT_F8 = F8.vectorType();
  private static final Class<? extends Vector<Integer>> EXACT_I8 = I8.vectorType();
  private static final Class<? extends Vector<Float>> EXACT_F4 = F4.vectorType();
  private static final Class<? extends Vector<Integer>> EXACT_I4 = I4.vectorType();
  /**
   * A vector's even columns (each window's left taps) or odd ones, twice over: of two vectors of
   * columns, the first's lower half and the second's upper half are blended into the windows' taps.
   * (A two-vector rearrange would do it in one call, but JDK 17 does not compile it to vector
   * instructions: it allocates a shuffle per call.)
   */
  private static final VectorShuffle<Float> EVEN8 = VectorShuffle.fromValues(F8, 0, 2, 4, 6, 0, 2, 4, 6);
  private static final VectorShuffle<Float> ODD8 = VectorShuffle.fromValues(F8, 1, 3, 5, 7, 1, 3, 5, 7);
  private static final VectorMask<Float> UPPER8 = VectorMask.fromValues(F8, false, false, false, false, true, true, true, true);
  private static final IntVector TWICE_LANE8 = IntVector.fromArray(I8, new int[] {0, 2, 4, 6, 8, 10, 12, 14}, 0);
  private static final VectorShuffle<Float> EVEN4 = VectorShuffle.fromValues(F4, 0, 2, 0, 2);
  private static final VectorShuffle<Float> ODD4 = VectorShuffle.fromValues(F4, 1, 3, 1, 3);
  private static final VectorMask<Float> UPPER4 = VectorMask.fromValues(F4, false, false, true, true);
  private static final IntVector TWICE_LANE4 = IntVector.fromArray(I4, new int[] {0, 2, 4, 6}, 0);

  /**
   * Eight (or four) windows per step: the four taps of each come out of two loads per input row by a
   * rearrangement, and each comparison is a vector compare and blend, in the scalar loop's order, so
   * the outputs and indexes are the same. A row's last step starts where it ends the row, overlapping
   * the step before (whose windows it computes again, identically); rows of fewer than 4 windows run
   * the scalar loop, and every row takes 4 windows a step on machines whose vectors are 128 bits.
   */
  @Override
  public void maxPool2x2(float[] in, int row, int width, float[] out, int[] argmax, int o, int outW) {
    if (outW >= 8 && WIDE) {
      for (int ow = 0; ow < outW; ow += 8) pool8(in, row, width, out, argmax, o, Math.min(ow, outW - 8));
    } else if (outW >= 4) {
      for (int ow = 0; ow < outW; ow += 4) pool4(in, row, width, out, argmax, o, Math.min(ow, outW - 4));
    } else {
      SCALAR.maxPool2x2(in, row, width, out, argmax, o, outW);
    }
  }

  /** Windows ow .. ow+7 of the row. */
  private static void pool8(float[] in, int row, int width, float[] out, int[] argmax, int o, int ow) {
    int i = row + 2 * ow;
    int j = i + width;
    FloatVector top0 = FloatVector.fromArray(F8, in, i), top1 = FloatVector.fromArray(F8, in, i + 8);
    FloatVector bottom0 = FloatVector.fromArray(F8, in, j), bottom1 = FloatVector.fromArray(F8, in, j + 8);
    IntVector left = (IntVector) EXACT_I8.cast(TWICE_LANE8.add(i));
    FloatVector best = top0.rearrange(EVEN8).blend(top1.rearrange(EVEN8), UPPER8);
    IntVector at = left;
    FloatVector v = top0.rearrange(ODD8).blend(top1.rearrange(ODD8), UPPER8);
    VectorMask<Float> gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(1), gt.cast(I8));
    v = bottom0.rearrange(EVEN8).blend(bottom1.rearrange(EVEN8), UPPER8);
    gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(width), gt.cast(I8));
    v = bottom0.rearrange(ODD8).blend(bottom1.rearrange(ODD8), UPPER8);
    gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(width + 1), gt.cast(I8));
    ((FloatVector) EXACT_F8.cast(best)).intoArray(out, o + ow);
    ((IntVector) EXACT_I8.cast(at)).intoArray(argmax, o + ow);
  }

  /**
   * Windows ow .. ow+3 of the row: {@link #pool8} on 128-bit vectors. A copy rather than one method
   * taking the species: the Vector API becomes vector instructions only where C2 sees the species as
   * a constant, which a parameter is only if the call happens to be inlined.
   */
  private static void pool4(float[] in, int row, int width, float[] out, int[] argmax, int o, int ow) {
    int i = row + 2 * ow;
    int j = i + width;
    FloatVector top0 = FloatVector.fromArray(F4, in, i), top1 = FloatVector.fromArray(F4, in, i + 4);
    FloatVector bottom0 = FloatVector.fromArray(F4, in, j), bottom1 = FloatVector.fromArray(F4, in, j + 4);
    IntVector left = (IntVector) EXACT_I4.cast(TWICE_LANE4.add(i));
    FloatVector best = top0.rearrange(EVEN4).blend(top1.rearrange(EVEN4), UPPER4);
    IntVector at = left;
    FloatVector v = top0.rearrange(ODD4).blend(top1.rearrange(ODD4), UPPER4);
    VectorMask<Float> gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(1), gt.cast(I4));
    v = bottom0.rearrange(EVEN4).blend(bottom1.rearrange(EVEN4), UPPER4);
    gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(width), gt.cast(I4));
    v = bottom0.rearrange(ODD4).blend(bottom1.rearrange(ODD4), UPPER4);
    gt = v.compare(VectorOperators.GT, best);
    best = best.blend(v, gt);
    at = at.blend(left.add(width + 1), gt.cast(I4));
    ((FloatVector) EXACT_F4.cast(best)).intoArray(out, o + ow);
    ((IntVector) EXACT_I4.cast(at)).intoArray(argmax, o + ow);
  }
}
