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

@Doc("Adamax (Kingma & Ba 2015, the infinity-norm Adam), as PyTorch's Adamax")
@Example(value = "lr: 0.05", steps = 500)
public final class Adamax implements Optimizer {
  public record Params(
      @Doc("learning rate") @Default("0.002") @Min(value = 0, exclusive = true) double lr,
      @Doc("decay of the first moment") @Default("0.9") @Min(0) @Max(value = 1, exclusive = true) double beta1,
      @Doc("decay of the infinity norm") @Default("0.999") @Min(0) @Max(value = 1, exclusive = true) double beta2,
      @Doc("added to |g|") @Default("1e-8") @Min(value = 0, exclusive = true) double eps,
      @Doc("L2 weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  private final OptimizerBuffers moments = new OptimizerBuffers("m", "u");

  @Inject
  public Adamax(Params params) {
    this.p = params;
  }

  @Override
  public void step(List<Param> params, StepInfo info) {
    long t = moments.advance();
    float b1 = (float) p.beta1();
    float b2 = (float) p.beta2();
    float oneMinusB1 = (float) (1 - p.beta1()); // in double, rounded once, as PyTorch
    float eps = (float) p.eps();
    float clr = (float) (p.lr() * info.lrFactor() / (1 - Math.pow(p.beta1(), t)));
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      float[] w = param.value().data();
      float[] g = param.grad().data();
      float[][] b = moments.of(param.name(), w.length);
      float wd = param.decays() ? (float) p.weightDecay() : 0f;
      for (int i = 0; i < w.length; i++) {
        float gi = g[i] + wd * w[i];
        b[0][i] = b[0][i] * b1 + oneMinusB1 * gi;
        b[1][i] = Math.max(b[1][i] * b2, Math.abs(gi) + eps);
        w[i] -= clr * (b[0][i] / b[1][i]);
      }
    }
  }

  @Override
  public State state() {
    return moments.state();
  }

  @Override
  public void load(State state) {
    moments.load(state, "adamax");
  }
}
