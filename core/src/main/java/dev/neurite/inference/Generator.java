package dev.neurite.inference;

import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Vocabulary;
import dev.neurite.tensor.Shape;

/**
 * Text from a next-token model (a run of the {@code text} source whose outputs are [window, vocabulary]
 * scores): the prompt's tokens, then one sampled token at a time, each fed back. The context is the last
 * {@code window} tokens, placed at the start of the input row and read at its last token, so a model that
 * reads forward in time (not bidirectional) sees exactly the context. Sampling draws from
 * softmax(scores / temperature) with a {@link RandomStream} of the seed: the same seed gives the same
 * text; temperature 0 takes the most likely token each time.
 */
public final class Generator {
  private final Predictor predictor;
  private final Vocabulary vocabulary;
  private final int window;
  private final int classes;

  public Generator(Predictor predictor) {
    this.predictor = predictor;
    this.vocabulary = predictor.vocabulary().orElseThrow(() -> new NeuriteException(
        "the run does not read text: generate needs a run of the text source, whose vocabulary turns text into tokens"));
    Shape in = predictor.inputShape();
    Shape out = predictor.outputShape();
    if (in.rank() != 1 || out.rank() != 2 || out.dim(0) != in.dim(0)) {
      throw new NeuriteException("generate needs a next-token model: token windows [time] in, scores [time, vocabulary] out; "
          + "this run's model reads " + in + " and gives " + out);
    }
    window = in.dim(0);
    classes = out.dim(1);
  }

  /** The prompt followed by {@code length} generated tokens. */
  public String generate(String prompt, int length, double temperature, long seed) {
    if (length < 0) throw new IllegalArgumentException("length must be at least 0, got " + length);
    if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be 0 or more, got " + temperature);
    float[] encoded = vocabulary.encode(prompt);
    if (encoded.length == 0) throw new NeuriteException("the prompt has no token; give at least one character or word");
    float[] context = new float[encoded.length + length];
    System.arraycopy(encoded, 0, context, 0, encoded.length);
    int size = encoded.length;
    StringBuilder text = new StringBuilder(prompt);
    RandomStream random = new RandomStream(seed);
    float[] row = new float[window];
    double[] p = new double[classes];
    for (int i = 0; i < length; i++) {
      int from = Math.max(0, size - window);
      int used = size - from;
      java.util.Arrays.fill(row, vocabulary.raw(0));
      System.arraycopy(context, from, row, 0, used);
      float[] scores = predictor.outputs(new float[][] {row});
      int next = pick(scores, (used - 1) * classes, temperature, random, p);
      if (text.length() > 0 || i > 0) text.append(vocabulary.separator());
      text.append(vocabulary.decode(next));
      context[size++] = vocabulary.raw(next);
    }
    return text.toString();
  }

  private int pick(float[] scores, int at, double temperature, RandomStream random, double[] p) {
    int best = 0;
    for (int j = 1; j < classes; j++) if (scores[at + j] > scores[at + best]) best = j;
    if (temperature == 0) return best;
    double sum = 0;
    for (int j = 0; j < classes; j++) {
      p[j] = Math.exp((scores[at + j] - scores[at + best]) / temperature);
      sum += p[j];
    }
    double u = random.nextDouble() * sum;
    for (int j = 0; j < classes; j++) {
      u -= p[j];
      if (u < 0) return j;
    }
    return best;
  }
}
