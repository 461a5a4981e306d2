package dev.neurite.inference;

/**
 * One row's prediction: the model's raw {@code outputs}, and as the run's loss reads them the
 * predicted {@code label} (the class index, or -1 for a regression model) and the {@code probabilities}
 * per class (softmax of logits, exp of log-probabilities, sigmoid of binary logits; the outputs themselves
 * for a regression model or a margin loss).
 */
public record Prediction(float[] outputs, int label, float[] probabilities) {}
