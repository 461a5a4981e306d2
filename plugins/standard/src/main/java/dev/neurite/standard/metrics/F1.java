package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import jakarta.inject.Inject;

@Doc("F1: the harmonic mean of precision and recall; averaged as scikit-learn's average= (macro by default)")
public final class F1 extends ClassificationScore {
  @Inject
  public F1(Params params) {
    super(params);
  }

  @Override
  double score(double tp, double fp, double fn) {
    return ratio(2 * tp, 2 * tp + fp + fn);
  }
}
