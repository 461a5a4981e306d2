package dev.neurite.spi;

/**
 * The tokens of a text source, fitted on the training split: a preprocessing {@link Transform} that maps the
 * source's raw token values to vocabulary indices (the model's inputs, and the classes of a language model's
 * outputs) implements it, so that {@code ./neurite generate} and the Java API can turn text into a model's
 * input and its predicted classes back into text.
 */
public interface Vocabulary {
  /** How many tokens, the out-of-vocabulary token included: the classes of a next-token model. */
  int size();

  /** The tokens of {@code text} as the source's raw values (what the transform maps to indices). */
  float[] encode(String text);

  /** The raw value of vocabulary index {@code index}, to feed a generated token back as input. */
  float raw(int index);

  /** The text of vocabulary index {@code index}. */
  String decode(int index);

  /** What goes between two decoded tokens: nothing for characters, a space for words. */
  String separator();
}
