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

@Doc("Adam (Kingma & Ba 2015), as PyTorch's Adam; weight_decay adds decay * p to the gradient (L2) of params that decay. "
    + "AdamW is the same with decoupled decay")
@Example(value = "lr: 0.05", steps = 500)
public class Adam implements Optimizer {
  public record Params(
      @Doc("learning rate") @Default("0.001") @Min(value = 0, exclusive = true) double lr,
      @Doc("decay of the first moment") @Default("0.9") @Min(0) @Max(value = 1, exclusive = true) double beta1,
      @Doc("decay of the second moment") @Default("0.999") @Min(0) @Max(value = 1, exclusive = true) double beta2,
      @Doc("added to the denominator") @Default("1e-8") @Min(value = 0, exclusive = true) double eps,
      @Doc("weight decay, on params that decay") @Default("0") @Min(0) double weightDecay) {}

  private final Params p;
  private final boolean decoupled;
  private final OptimizerBuffers moments = new OptimizerBuffers("m", "v");
  private final ElementwiseUpdate update = new ElementwiseUpdate(this::update);

  // this step's constants, the same for every param
  private float beta1;
  private float beta2;
  /** 1 - beta1 and 1 - beta2, computed in double and rounded once, as PyTorch passes them to its float32 kernels. */
  private float oneMinusBeta1;
  private float oneMinusBeta2;
  /** AdamW's shrink factor 1 - lr * decay, in double and rounded once (as PyTorch's param.mul_(1 - lr * weight_decay)). */
  private float shrink;
  private float eps;
  /** lr / (1 - beta1^t): the first moment's bias correction folded into the step. */
  private float stepSize;
  /** sqrt(1 - beta2^t): the second moment's bias correction. */
  private double bias2Sqrt;

  // the param being updated, with its moments and weight decay
  private float[] w;
  private float[] g;
  private float[] m;
  private float[] v;
  private float decay;

  @Inject
  public Adam(Params params) {
    this(params, false);
  }

  Adam(Params params, boolean decoupled) {
    this.p = params;
    this.decoupled = decoupled;
  }

  @Override
  public void step(List<Param> params, StepInfo info) {
    long t = moments.advance();
    double baseLr = p.lr() * info.lrFactor();
    beta1 = (float) p.beta1();
    beta2 = (float) p.beta2();
    oneMinusBeta1 = (float) (1 - p.beta1());
    oneMinusBeta2 = (float) (1 - p.beta2());
    eps = (float) p.eps();
    stepSize = (float) (baseLr / (1 - Math.pow(p.beta1(), t)));
    bias2Sqrt = Math.sqrt(1 - Math.pow(p.beta2(), t));
    for (int j = 0; j < params.size(); j++) {
      Param param = params.get(j);
      float[][] moment = moments.of(param.name(), param.value().size());
      w = param.value().data();
      g = param.grad().data();
      m = moment[0];
      v = moment[1];
      decay = param.decays() ? (float) p.weightDecay() : 0f;
      shrink = (float) (1 - baseLr * (param.decays() ? p.weightDecay() : 0));
      update.over(w.length);
    }
    w = g = m = v = null;
  }

  /** PyTorch's Adam (and AdamW) on elements [from, to) of the param at hand. */
  private void update(int from, int to) {
    for (int i = from; i < to; i++) {
      float gi = g[i];
      if (decoupled) w[i] *= shrink;
      else gi += decay * w[i];
      m[i] = m[i] * beta1 + oneMinusBeta1 * gi;
      v[i] = v[i] * beta2 + oneMinusBeta2 * gi * gi;
      float denom = (float) (Math.sqrt(v[i]) / bias2Sqrt) + eps;
      w[i] -= stepSize * (m[i] / denom);
    }
  }

  @Override
  public State state() {
    return moments.state();
  }

  @Override
  public void load(State state) {
    moments.load(state, getClass().getSimpleName());
  }
}
