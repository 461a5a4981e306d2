package dev.neurite.standard.losses;

import dev.neurite.spi.DataRowException;
import dev.neurite.spi.StepMask;
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
    int maxRow = 0;
    float[] y = targets.data();
    int perRow = Math.max(1, targets.rowSize()); // per-step targets hold one label per time step
    for (int i = 0; i < y.length; i++) {
      float label = y[i];
      if (label == StepMask.IGNORED_TARGET) continue; // a padded step
      if (label != Math.rint(label) || label < 0) {
        throw new DataRowException(i / perRow, "", " has label " + label + "; labels must be the class indices 0.." + (classes - 1), true);
      }
      if (label > max) {
        max = label;
        maxRow = i / perRow;
      }
    }
    if (max >= classes) {
      long needed = (long) max + 1; // a float label may be far beyond an int
      throw new DataRowException(maxRow, "the labels go up to " + (long) max + " (first at ", ") but the model scores "
          + classes + " classes; the last layer needs units: " + needed, needed > (1 << 24));
    }
  }
}
