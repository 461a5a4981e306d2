package dev.neurite.standard.optimizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.OptimizerBuffers;
import dev.neurite.spi.Param;
import dev.neurite.spi.State;
import dev.neurite.spi.StepInfo;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

@Doc("Adagrad (Duchi et al. 2011), as PyTorch's Adagrad: s += g^2; p -= lr g / (sqrt(s) + eps)")
@Example(value = "lr: 0.5", steps = 500)
public final class Adagrad implements Optimizer {
  public record Params(
      @Doc("learning rate") @Default("0.01") @Min(value = 0, exclusive = true) double lr,
      @Doc("added to the denominator") @Default("1e-10") @Min(value = 0, exclusive = true) double eps,
      @Doc("starting value of the accumulator") @Default("0") @Min(0) double initialAccumulatorValue,
      @Doc("L2 weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  private final OptimizerBuffers moments = new OptimizerBuffers("sum");

  @Inject
  public Adagrad(Params params) {
    this.p = params;
  }

  @Override
  public void step(List<Param> params, StepInfo info) {
    if (moments.advance() == 1 && p.initialAccumulatorValue() != 0) {
      for (int j = 0; j < params.size(); j++) {
        Param param = params.get(j);
        Arrays.fill(moments.of(param.name(), param.value().size())[0], (float) p.initialAccumulatorValue());
      }
    }
    float lr = (float) (p.lr() * info.lrFactor());
    float eps = (float) p.eps();
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      float[] w = param.value().data();
      float[] g = param.grad().data();
      float[] sum = moments.of(param.name(), w.length)[0];
      float wd = param.decays() ? (float) p.weightDecay() : 0f;
      for (int i = 0; i < w.length; i++) {
        float gi = g[i] + wd * w[i];
        sum[i] += gi * gi;
        w[i] -= lr * (gi / ((float) Math.sqrt(sum[i]) + eps));
      }
    }
  }

  @Override
  public State state() {
    return moments.state();
  }

  @Override
  public void load(State state) {
    moments.load(state, "adagrad");
  }
}
