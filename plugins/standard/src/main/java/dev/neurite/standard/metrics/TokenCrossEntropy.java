package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("The mean cross-entropy per token (per step of every sample) in nats, from the outputs: softmax of the scores, or log_softmax's log-probabilities")
public final class TokenCrossEntropy extends TokenLoss {
  @Override
  double fromNats(double meanNats) {
    return meanNats;
  }

  @Override
  String name() {
    return "token_cross_entropy";
  }
}
