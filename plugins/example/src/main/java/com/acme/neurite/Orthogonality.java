package com.acme.neurite;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Soft orthogonality (Bansal et al. 2018): lambda * ||W W^T - I||^2 over each weight that decays, "
    + "read as [rows, the rest] (a dense layer's [units, inputs], a convolution's [filters, channels * k * k])")
@Example("lambda: 0.001")
public final class Orthogonality implements Regularizer {
  public record Params(@Doc("strength") @Min(0) double lambda) {}

  private final Params p;
  /** W W^T - I of the weight at hand, grown to the largest. */
  private double[] gram = new double[0];

  @Inject
  public Orthogonality(Params params) {
    this.p = params;
  }

  @Override
  public double penalty(List<Param> params) {
    double sum = 0;
    for (int k = 0; k < params.size(); k++) {
      Param param = params.get(k);
      if (!applies(param)) continue;
      int rows = param.value().shape().dim(0);
      gram(param.value().data(), rows);
      for (int i = 0; i < rows * rows; i++) sum += gram[i] * gram[i];
    }
    return p.lambda() * sum;
  }

  /** d/dW of lambda ||G||^2 with G = W W^T - I is 4 lambda G W (G is symmetric). */
  @Override
  public void addGradient(List<Param> params) {
    for (int k = 0; k < params.size(); k++) {
      Param param = params.get(k);
      if (!applies(param)) continue;
      float[] w = param.value().data();
      float[] grad = param.grad().data();
      int rows = param.value().shape().dim(0);
      int cols = w.length / rows;
      gram(w, rows);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double s = 0;
          for (int r = 0; r < rows; r++) s += gram[i * rows + r] * w[r * cols + j];
          grad[i * cols + j] += (float) (4 * p.lambda() * s);
        }
      }
    }
  }

  private static boolean applies(Param param) {
    return param.decays() && param.value().shape().rank() >= 2;
  }

  /** Fills {@link #gram} with W W^T - I for W read as [rows, w.length / rows]. */
  private void gram(float[] w, int rows) {
    int cols = w.length / rows;
    if (gram.length < rows * rows) gram = new double[rows * rows];
    for (int i = 0; i < rows; i++) {
      for (int r = 0; r < rows; r++) {
        double s = 0;
        for (int j = 0; j < cols; j++) s += (double) w[i * cols + j] * w[r * cols + j];
        gram[i * rows + r] = s - (i == r ? 1 : 0);
      }
    }
  }
}
