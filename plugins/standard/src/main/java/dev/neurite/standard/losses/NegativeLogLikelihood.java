package dev.neurite.standard.losses;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Loss;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

@Doc("Negative log-likelihood of class indices given log-probabilities (after log_softmax), as PyTorch's NLLLoss")
public final class NegativeLogLikelihood implements Loss {
  private Tensor output;
  private Tensor target;
  private Tensor grad;

  @Override
  public void check(Shape output, Tensor targets) {
    ClassIndices.check("nll", output, targets);
  }

  @Override
  public void checkModel(List<Layer> layers) {
    if (Layer.outputsOf(layers) != Layer.Outputs.LOG_SOFTMAX) {
      throw new IllegalArgumentException("nll takes log-probabilities: end the model with log_softmax, or use softmax_cross_entropy "
          + "on the raw scores");
    }
  }

  @Override
  public double forward(Tensor output, Tensor target) {
    this.output = output;
    this.target = target;
    int n = output.rows();
    int c = output.rowSize();
    double sum = 0;
    for (int r = 0; r < n; r++) sum -= output.get(r * c + (int) target.get(r));
    return sum / n;
  }

  @Override
  public Tensor backward() {
    grad = Tensor.reuse(grad, output.shape());
    grad.fill(0f);
    int n = output.rows();
    int c = output.rowSize();
    for (int r = 0; r < n; r++) grad.set(r * c + (int) target.get(r), -1f / n);
    return grad;
  }

  @Override
  public Reading reading() {
    return Reading.CLASS_LOG_PROBABILITIES;
  }
}
