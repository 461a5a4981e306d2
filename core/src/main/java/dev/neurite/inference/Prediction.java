package dev.neurite.inference;

import dev.neurite.spi.Loss;

/**
 * One row's prediction: the model's raw {@code outputs}, and as the run's loss reads them the
 * predicted {@code label} (the class index, or -1 for a regression model) and the {@code probabilities}
 * per class (softmax of logits, exp of log-probabilities, sigmoid of binary logits; the outputs themselves
 * for a regression model or a margin loss).
 */
public record Prediction(float[] outputs, int label, float[] probabilities) {
  /** {@code outputs} (one row) read as a loss with this {@link Loss.Reading} defines them; {@code predict}'s CSV is written from it. */
  public static Prediction of(Loss.Reading reading, float[] outputs) {
    int n = outputs.length;
    switch (reading) {
      case CLASS_LOGITS, CLASS_LOG_PROBABILITIES -> {
        int arg = argMax(outputs);
        double max = outputs[arg];
        double[] p = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
          p[j] = reading == Loss.Reading.CLASS_LOGITS ? Math.exp(outputs[j] - max) : Math.exp(outputs[j]);
          sum += p[j];
        }
        float[] probabilities = new float[n];
        for (int j = 0; j < n; j++) probabilities[j] = (float) (reading == Loss.Reading.CLASS_LOGITS ? p[j] / sum : p[j]);
        return new Prediction(outputs, arg, probabilities);
      }
      case BINARY_LOGITS -> {
        float[] probabilities = new float[n];
        for (int j = 0; j < n; j++) probabilities[j] = (float) (1 / (1 + Math.exp(-outputs[j])));
        return new Prediction(outputs, n == 1 ? (outputs[0] > 0 ? 1 : 0) : argMax(outputs), probabilities);
      }
      case CLASS_SCORES -> {
        return new Prediction(outputs, n == 1 ? (outputs[0] > 0 ? 1 : 0) : argMax(outputs), outputs.clone());
      }
      default -> {
        return new Prediction(outputs, -1, outputs.clone());
      }
    }
  }

  /** The first index of the largest value. */
  private static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }
}
