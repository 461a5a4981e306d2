package dev.neurite.standard.regularizers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.Param;
import dev.neurite.spi.Regularizer;
import jakarta.inject.Inject;
import java.util.List;

@Doc("Elastic net: l1 * sum(|w|) + (l2 / 2) * sum(w^2), by default on weights (not biases)")
@Example("l1: 0.01, l2: 0.01")
public final class ElasticNet implements Regularizer {
  public record Params(
      @Doc("L1 strength") @Min(0) double l1,
      @Doc("L2 strength") @Min(0) double l2,
      @Doc("weights (the default), biases or all") @Default("weights") ApplyTo applyTo) {}

  private final Params p;

  @Inject
  public ElasticNet(Params params) {
    this.p = params;
  }

  @Override
  public double penalty(List<Param> params) {
    double abs = 0;
    double sq = 0;
    for (Param param : params) {
      if (!p.applyTo().includes(param)) continue;
      for (float v : param.value().data()) {
        abs += Math.abs(v);
        sq += (double) v * v;
      }
    }
    return p.l1() * abs + 0.5 * p.l2() * sq;
  }

  @Override
  public void addGradient(List<Param> params) {
    float l1 = (float) p.l1();
    float l2 = (float) p.l2();
    for (int j = 0; j < params.size(); j++) { // indexed: no iterator per step
      Param param = params.get(j);
      if (!p.applyTo().includes(param)) continue;
      float[] w = param.value().data();
      float[] g = param.grad().data();
      for (int i = 0; i < w.length; i++) g[i] += l1 * Math.signum(w[i]) + l2 * w[i];
    }
  }
}
