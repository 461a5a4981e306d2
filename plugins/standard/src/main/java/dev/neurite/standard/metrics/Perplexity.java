package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("exp of the mean cross-entropy per token: the number of equally likely tokens the model is as unsure as")
public final class Perplexity extends TokenLoss {
  @Override
  double fromNats(double meanNats) {
    return Math.exp(meanNats);
  }

  @Override
  String name() {
    return "perplexity";
  }
}
