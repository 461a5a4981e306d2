package dev.neurite.standard.losses;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/** Checks shared by the losses that take class indices as targets. */
final class ClassIndices {
  private ClassIndices() {}

  /** Throws unless {@code output} is [classes] and every target is an index below it. */
  static void check(String loss, Shape output, Tensor targets) {
    if (output.rank() != 1) throw new IllegalArgumentException(loss + " needs one score per class, shape [classes]");
    if (!targets.shape().dropFirst().equals(Shape.of(1))) {
      throw new IllegalArgumentException(loss + " needs class indices as targets (shape [1]), got " + targets.shape().dropFirst());
    }
    labels(output.dim(0), targets);
  }

  /** Throws unless every target is a whole class index below {@code classes}, naming the fix. */
  static void labels(int classes, Tensor targets) {
    float max = 0;
    for (float label : targets.data()) {
      if (label != Math.rint(label) || label < 0) {
        throw new IllegalArgumentException("the data has label " + label + "; labels must be the class indices 0.." + (classes - 1));
      }
      max = Math.max(max, label);
    }
    if (max >= classes) {
      throw new IllegalArgumentException("the labels go up to " + (int) max + " but the model scores " + classes
          + " classes; the last layer needs units: " + ((int) max + 1));
    }
  }
}
