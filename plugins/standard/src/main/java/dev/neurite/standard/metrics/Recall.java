package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;
import jakarta.inject.Inject;

@Doc("Recall: of the samples of a class, the fraction predicted as it; averaged as scikit-learn's average= (macro by default)")
public final class Recall extends ClassificationScore {
  @Inject
  public Recall(Params params) {
    super(params);
  }

  @Override
  double score(double tp, double fp, double fn) {
    return ratio(tp, tp + fn);
  }
}
