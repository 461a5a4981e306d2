package dev.neurite.standard.metrics;

import dev.neurite.spi.Doc;

@Doc("The mean cross-entropy per token in bits (nats / ln 2): bits per character for a character-level language model")
public final class BitsPerCharacter extends TokenLoss {
  @Override
  double fromNats(double meanNats) {
    return meanNats / Math.log(2);
  }

  @Override
  String name() {
    return "bits_per_character";
  }
}
