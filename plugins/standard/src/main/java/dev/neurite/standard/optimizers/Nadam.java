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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Doc("NAdam (Dozat 2016, Adam with Nesterov momentum and momentum decay), as PyTorch's NAdam")
@Example(value = "lr: 0.05", steps = 500)
public final class Nadam implements Optimizer {
  public record Params(
      @Doc("learning rate") @Default("0.002") @Min(value = 0, exclusive = true) double lr,
      @Doc("decay of the first moment") @Default("0.9") @Min(0) @Max(value = 1, exclusive = true) double beta1,
      @Doc("decay of the second moment") @Default("0.999") @Min(0) @Max(value = 1, exclusive = true) double beta2,
      @Doc("added to the denominator") @Default("1e-8") @Min(value = 0, exclusive = true) double eps,
      @Doc("momentum decay psi") @Default("0.004") @Min(0) double momentumDecay,
      @Doc("L2 weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  private final OptimizerBuffers moments = new OptimizerBuffers("m", "v");
  private double muProduct = 1.0;

  @Inject
  public Nadam(Params params) {
    this.p = params;
  }

  @Override
  public void step(List<Param> params, StepInfo info) {
    long t = moments.advance();
    double b1 = p.beta1();
    double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * p.momentumDecay()));
    double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * p.momentumDecay()));
    muProduct *= mu;
    double muProductNext = muProduct * muNext;
    double bc2 = 1 - Math.pow(p.beta2(), t);
    double lr = p.lr() * info.lrFactor();
    float gradStep = (float) (lr * (1 - mu) / (1 - muProduct));
    float momentStep = (float) (lr * muNext / (1 - muProductNext));
    float fb1 = (float) b1;
    float fb2 = (float) p.beta2();
    float oneMinusB1 = (float) (1 - b1); // in double, rounded once, as PyTorch
    float oneMinusB2 = (float) (1 - p.beta2());
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      float[] w = param.value().data();
      float[] g = param.grad().data();
      float[][] b = moments.of(param.name(), w.length);
      float wd = param.decays() ? (float) p.weightDecay() : 0f;
      for (int i = 0; i < w.length; i++) {
        float gi = g[i] + wd * w[i];
        b[0][i] = b[0][i] * fb1 + oneMinusB1 * gi;
        b[1][i] = b[1][i] * fb2 + oneMinusB2 * gi * gi;
        float denom = (float) Math.sqrt(b[1][i] / bc2) + (float) p.eps();
        w[i] -= gradStep * (gi / denom);
        w[i] -= momentStep * (b[0][i] / denom);
      }
    }
  }

  @Override
  public State state() {
    State s = moments.state();
    Map<String, Number> numbers = new LinkedHashMap<>(s.numbers());
    numbers.put("mu_product", muProduct);
    return new State(s.tensors(), numbers);
  }

  @Override
  public void load(State state) {
    moments.load(new State(state.tensors(), Map.of("step", state.numbers().getOrDefault("step", 0L))), "nadam");
    muProduct = state.numbers().getOrDefault("mu_product", 1.0).doubleValue();
  }
}
