package com.acme.neurite;

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

@Doc("Lion (Chen et al. 2023, 'Symbolic Discovery of Optimization Algorithms'): "
    + "p -= lr * (sign(beta1 m + (1 - beta1) g) + weight_decay p); m = beta2 m + (1 - beta2) g")
@Example(value = "lr: 0.01", steps = 500)
public final class Lion implements Optimizer {
  public record Params(
      @Doc("learning rate (typically 3-10x smaller than Adam's)") @Min(value = 0, exclusive = true) double lr,
      @Doc("interpolation factor for the update direction") @Default("0.9") @Min(0) @Max(value = 1, exclusive = true) double beta1,
      @Doc("decay of the momentum") @Default("0.99") @Min(0) @Max(value = 1, exclusive = true) double beta2,
      @Doc("decoupled weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  /** The momentum of each param, saved in checkpoints as {@code momentum.<param name>}. */
  private final OptimizerBuffers momentum = new OptimizerBuffers("momentum");

  @Inject
  public Lion(Params params) {
    this.p = params;
  }

  @Override
  public void step(List<Param> params, StepInfo step) {
    float lr = (float) (p.lr() * step.lrFactor());
    float b1 = (float) p.beta1();
    float b2 = (float) p.beta2();
    momentum.advance();
    for (int k = 0; k < params.size(); k++) { // by index: no iterator in a method run every step
      Param param = params.get(k);
      float[] w = param.value().data();
      float[] g = param.grad().data();
      float[] m = momentum.of(param.name(), w.length)[0]; // zeros at the first step
      float decay = param.decays() ? (float) p.weightDecay() : 0f;
      for (int i = 0; i < w.length; i++) {
        float c = b1 * m[i] + (1 - b1) * g[i];
        w[i] -= lr * (Math.signum(c) + decay * w[i]);
        m[i] = b2 * m[i] + (1 - b2) * g[i];
      }
    }
  }

  @Override
  public State state() {
    return momentum.state();
  }

  @Override
  public void load(State state) {
    momentum.load(state, "acme:lion");
  }
}
