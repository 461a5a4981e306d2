package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import jakarta.inject.Inject;

@Doc("Precision: of the samples predicted as a class, the fraction that are; averaged as scikit-learn's average= (macro by default)")
public final class Precision extends ClassificationScore {
  @Inject
  public Precision(Params params) {
    super(params);
  }

  @Override
  double score(double tp, double fp, double fn) {
    return ratio(tp, tp + fp);
  }
}
