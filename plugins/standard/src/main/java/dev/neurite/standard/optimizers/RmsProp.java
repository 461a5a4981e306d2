package dev.neurite.standard.optimizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.OptimizerBuffers;
import dev.neurite.spi.Param;
import dev.neurite.spi.State;
import dev.neurite.spi.StepInfo;
import jakarta.inject.Inject;
import java.util.List;

@Doc("RMSprop (Tieleman & Hinton 2012), as PyTorch's RMSprop: v = alpha v + (1 - alpha) g^2; p -= lr g / (sqrt(v) + eps), "
    + "optionally centered and with momentum")
@Example(value = "lr: 0.01", steps = 500)
public final class RmsProp implements Optimizer {
  public record Params(
      @Doc("learning rate") @Default("0.01") @Min(value = 0, exclusive = true) double lr,
      @Doc("smoothing constant") @Default("0.99") @Min(0) @Max(value = 1, exclusive = true) double alpha,
      @Doc("added to the denominator") @Default("1e-8") @Min(value = 0, exclusive = true) double eps,
      @Doc("momentum factor") @Default("0") @Min(0) @Max(value = 1, exclusive = true) double momentum,
      @Doc("normalize by the estimated variance instead of the second moment") @Default("false") boolean centered,
      @Doc("L2 weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  private final OptimizerBuffers moments = new OptimizerBuffers("square_avg", "momentum", "grad_avg");

  @Inject
  public RmsProp(Params params) {
    this.p = params;
  }

  @Override
  public void step(List<Param> params, StepInfo info) {
    moments.advance();
    float alpha = (float) p.alpha();
    float oneMinusAlpha = (float) (1 - p.alpha()); // in double, rounded once, as PyTorch
    float lr = (float) (p.lr() * info.lrFactor());
    float eps = (float) p.eps();
    float mu = (float) p.momentum();
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      float[] w = param.value().data();
      float[] g = param.grad().data();
      float[][] b = moments.of(param.name(), w.length);
      float wd = param.decays() ? (float) p.weightDecay() : 0f;
      for (int i = 0; i < w.length; i++) {
        float gi = g[i] + wd * w[i];
        b[0][i] = b[0][i] * alpha + oneMinusAlpha * gi * gi;
        float avg;
        if (p.centered()) {
          b[2][i] = b[2][i] * alpha + oneMinusAlpha * gi;
          avg = (float) Math.sqrt(b[0][i] - b[2][i] * b[2][i]) + eps;
        } else {
          avg = (float) Math.sqrt(b[0][i]) + eps;
        }
        if (mu > 0) {
          b[1][i] = b[1][i] * mu + gi / avg;
          w[i] -= lr * b[1][i];
        } else {
          w[i] -= lr * (gi / avg);
        }
      }
    }
  }

  @Override
  public State state() {
    return moments.state();
  }

  @Override
  public void load(State state) {
    moments.load(state, "rmsprop");
  }
}
