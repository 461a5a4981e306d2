package dev.neurite.standard.losses;

import dev.neurite.spi.DataRowException;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Min;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("Hinge loss. Several outputs with class-index targets: the multi-class margin loss of PyTorch's MultiMarginLoss, "
    + "sum over wrong classes of max(0, margin - x_y + x_i) / classes. One output with 0/1 targets: max(0, margin - y x), y = +-1")
public final class Hinge implements Loss {
  public record Params(@Doc("the margin") @Default("1.0") @Min(value = 0, exclusive = true) double margin) {}

  private final double margin;
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  @Inject
  public Hinge(Params params) {
    this.margin = params.margin();
  }

  @Override
  public void check(Shape output, Tensor targets) {
    if (output.equals(Shape.of(1))) {
      float[] y = targets.data();
      for (int i = 0; i < y.length; i++) {
        if (y[i] != 0 && y[i] != 1) {
          throw new DataRowException(i, "", " has target " + y[i] + "; a single-output hinge needs targets 0 or 1", true);
        }
      }
    } else {
      ClassIndices.check("hinge", output, targets);
    }
  }

  @Override
  public double forward(Tensor output, Tensor target) {
    this.output = output;
    this.target = target;
    int n = output.rows();
    int c = output.rowSize();
    double sum = 0;
    for (int r = 0; r < n; r++) {
      if (c == 1) {
        double y = target.get(r) > 0.5f ? 1 : -1;
        sum += Math.max(0, margin - y * output.get(r));
      } else {
        int y = (int) target.get(r);
        double xy = output.get(r * c + y);
        double row = 0;
        for (int j = 0; j < c; j++) if (j != y) row += Math.max(0, margin - xy + output.get(r * c + j));
        sum += row / c;
      }
    }
    return sum / n;
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, output.shape());
    grad.fill(0f);
    int n = output.rows();
    int c = output.rowSize();
    for (int r = 0; r < n; r++) {
      if (c == 1) {
        double y = target.get(r) > 0.5f ? 1 : -1;
        if (margin - y * output.get(r) > 0) grad.set(r, (float) (-y / n));
      } else {
        int y = (int) target.get(r);
        double xy = output.get(r * c + y);
        float share = (float) (1.0 / (c * n));
        for (int j = 0; j < c; j++) {
          if (j != y && margin - xy + output.get(r * c + j) > 0) {
            grad.set(r * c + j, grad.get(r * c + j) + share);
            grad.set(r * c + y, grad.get(r * c + y) - share);
          }
        }
      }
    }
    return grad;
  }

  @Override
  public Reading reading() {
    return Reading.CLASS_SCORES;
  }
}
