package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import dev.neurite.tensor.Kernels;
import jakarta.inject.Inject;
import java.util.List;

@Doc("L2 penalty (lambda / 2) * sum(w^2), by default on weights (not biases); its gradient lambda * w is PyTorch's weight_decay")
@Example("lambda: 0.01")
public final class L2 implements Regularizer {
  public record Params(
      @Doc("strength") @Min(0) double lambda,
      @Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  private final double lambda;
  private final ApplyTo applyTo;

  @Inject
  public L2(Params params) {
    this.lambda = params.lambda();
    this.applyTo = params.applyTo();
  }

  @Override
  public double penalty(List<Param> params) {
    double sum = 0;
    for (Param p : params) if (applyTo.includes(p)) sum += Kernels.sumOfSquares(p.value().data());
    return 0.5 * lambda * sum;
  }

  @Override
  public void addGradient(List<Param> params) {
    for (int i = 0; i < params.size(); i++) { // indexed: no iterator per step
      Param p = params.get(i);
      if (applyTo.includes(p)) Kernels.axpy(p.value().size(), (float) lambda, p.value().data(), p.grad().data());
    }
  }
}
