package dev.neurite.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Elementwise} on the Vector API: a compare and a blend per vector instead of a branch per element. */
final class VectorElementwise implements Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public void relu(float[] in, float[] out, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      VectorMask<Float> positive = x.compare(VectorOperators.GT, zero);
      zero.blend(x, positive).intoArray(out, i);
    }
    for (; i < to; i++) out[i] = in[i] > 0f ? in[i] : 0f;
  }

  @Override
  public void reluGradient(float[] x, float[] go, float[] gi, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, zero);
      FloatVector.fromArray(S, go, i).mul(zero.blend(one, positive)).intoArray(gi, i);
    }
    for (; i < to; i++) gi[i] = go[i] * (x[i] > 0f ? 1f : 0f);
  }
}
