package dev.neurite.standard.regularizers;

import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** A regularizer that only projects params after each step: no penalty, no gradient. */
abstract class Constraint implements Regularizer {
  private final ApplyTo applyTo;

  Constraint(ApplyTo applyTo) {
    this.applyTo = applyTo;
  }

  /** Projects one param's values in place. */
  abstract void project(Param param);

  @Override
  public final double penalty(List<Param> params) {
    return 0;
  }

  @Override
  public final void addGradient(List<Param> params) {}

  @Override
  public final void constrain(List<Param> params) {
    for (int i = 0; i < params.size(); i++) { // indexed: no iterator per step
      if (applyTo.includes(params.get(i))) project(params.get(i));
    }
  }

  /** Rescales each unit's incoming weights (a row: first axis) so its L2 norm becomes {@code target.apply(norm)}. */
  static void scaleRows(Param p, DoubleUnaryOperator target) {
    float[] w = p.value().data();
    int rows = p.value().shape().rank() == 0 ? 1 : p.value().shape().dim(0);
    int width = w.length / Math.max(1, rows);
    for (int r = 0; r < rows; r++) {
      double sq = 0;
      for (int j = 0; j < width; j++) sq += (double) w[r * width + j] * w[r * width + j];
      double norm = Math.sqrt(sq);
      double wanted = target.applyAsDouble(norm);
      if (wanted == norm) continue;
      float scale = (float) (wanted / (norm + 1e-7));
      for (int j = 0; j < width; j++) w[r * width + j] *= scale;
    }
  }
}
