package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

/**
 * Samples in memory: {@code features} is {@code [n, ...sample shape]}, {@code targets} is
 * {@code [n, ...target shape]} (a class index is a target of shape {@code [1]}).
 * {@code featureNames} may be empty.
 */
public record Dataset(Tensor features, Tensor targets, List<String> featureNames) {
  public Dataset {
    if (features.shape().rank() < 2 || targets.shape().rank() < 2) {
      throw new IllegalArgumentException("features and targets need a batch dimension and a sample shape, got "
          + features.shape() + " and " + targets.shape());
    }
    if (features.rows() != targets.rows()) {
      throw new IllegalArgumentException(features.rows() + " feature rows but " + targets.rows() + " target rows");
    }
    featureNames = List.copyOf(featureNames);
  }

  public int size() {
    return features.rows();
  }

  public Shape sampleShape() {
    return features.shape().dropFirst();
  }

  public Shape targetShape() {
    return targets.shape().dropFirst();
  }

  /** A new dataset holding copies of the given rows, in the given order. */
  public Dataset rows(int[] indices) {
    return new Dataset(gather(features, indices), gather(targets, indices), featureNames);
  }

  private static Tensor gather(Tensor t, int[] indices) {
    int w = t.rowSize();
    Tensor out = Tensor.zeros(t.shape().dropFirst().prepend(indices.length));
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(t.data(), indices[i] * w, out.data(), i * w, w);
    }
    return out;
  }
}
