package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import jakarta.inject.Inject;
import java.util.List;

@Doc("L1 penalty lambda * sum(|w|), by default on weights (not biases); gradient lambda * sign(w)")
@Example("lambda: 0.01")
public final class L1 implements Regularizer {
  public record Params(
      @Doc("strength") @Min(0) double lambda,
      @Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  private final Params p;

  @Inject
  public L1(Params params) {
    this.p = params;
  }

  @Override
  public double penalty(List<Param> params) {
    double sum = 0;
    for (Param param : params) if (p.applyTo().includes(param)) for (float v : param.value().data()) sum += Math.abs(v);
    return p.lambda() * sum;
  }

  @Override
  public void addGradient(List<Param> params) {
    float lambda = (float) p.lambda();
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      if (!p.applyTo().includes(param)) continue;
      float[] w = param.value().data();
      float[] g = param.grad().data();
      for (int i = 0; i < w.length; i++) g[i] += lambda * Math.signum(w[i]);
    }
  }
}
