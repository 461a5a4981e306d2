package dev.neurite.standard.optimizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.State;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Parallel;
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
  private final Moments moments = new Moments("m", "v");

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
    long t = ++moments.step;
    double baseLr = p.lr() * info.lrFactor();
    float lr = (float) baseLr;
    float b1 = (float) p.beta1();
    float b2 = (float) p.beta2();
    double bc1 = 1 - Math.pow(p.beta1(), t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(p.beta2(), t));
    float stepSize = (float) (baseLr / bc1);
    float eps = (float) p.eps();
    for (int j = 0; j < params.size(); j++) {
      Param param = params.get(j);
      float[] w = param.value().data();
      float[][] mv = moments.of(param.name(), w.length);
      float wd = param.decays() ? (float) p.weightDecay() : 0f;
      current.set(w, param.grad().data(), mv[0], mv[1], lr, wd, b1, b2, eps, bc2Sqrt, stepSize);
      // elementwise, so threads may split it freely (the same bits for any split)
      Parallel.forRanges(Sgd.blocks(w.length), current);
    }
    current.set(null, null, null, null, 0, 0, 0, 0, 0, 0, 0);
  }

  /** One param's update with this step's constants, kept in a field: a step allocates nothing. */
  private final Update current = new Update();

  private final class Update implements Parallel.RangeBody {
    private float[] w, g, m, v;
    private float lr, wd, b1, b2, eps, stepSize;
    private double bc2Sqrt;

    void set(float[] w, float[] g, float[] m, float[] v, float lr, float wd, float b1, float b2, float eps, double bc2Sqrt, float stepSize) {
      this.w = w;
      this.g = g;
      this.m = m;
      this.v = v;
      this.lr = lr;
      this.wd = wd;
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      this.bc2Sqrt = bc2Sqrt;
      this.stepSize = stepSize;
    }

    @Override
    public void run(int from, int to) {
      for (int i = from * Sgd.BLOCK; i < Math.min(w.length, to * Sgd.BLOCK); i++) {
        float gi = g[i];
        if (decoupled) w[i] *= 1 - lr * wd;
        else gi += wd * w[i];
        m[i] = m[i] * b1 + (1 - b1) * gi;
        v[i] = v[i] * b2 + (1 - b2) * gi * gi;
        float denom = (float) (Math.sqrt(v[i]) / bc2Sqrt) + eps;
        w[i] -= stepSize * (m[i] / denom);
      }
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
