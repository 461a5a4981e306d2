package dev.neurite.standard.regularizers;

import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import dev.neurite.tensor.Kernels;
import jakarta.inject.Inject;
import java.util.List;

@Doc("L2 penalty (lambda / 2) * sum(w^2) on weights (not biases); its gradient lambda * w is PyTorch's weight_decay")
@Example("lambda: 0.01")
public final class L2 implements Regularizer {
  public record Params(@Doc("strength") @Min(0) double lambda) {}

  private final double lambda;

  @Inject
  public L2(Params params) {
    this.lambda = params.lambda();
  }

  @Override
  public double penalty(List<Param> params) {
    double sum = 0;
    for (Param p : params) if (p.decays()) sum += Kernels.sumOfSquares(p.value().data());
    return 0.5 * lambda * sum;
  }

  @Override
  public void addGradient(List<Param> params) {
    for (Param p : params) {
      if (p.decays()) Kernels.axpy(p.value().size(), (float) lambda, p.value().data(), p.grad().data());
    }
  }
}
