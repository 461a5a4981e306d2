package dev.neurite.train;

import java.util.Map;

/**
 * What a finished training produced: epochs run, why it stopped early (or null), the wall time, the
 * final metrics per split ({@code train}, {@code validation}, {@code test}) in inference mode, and
 * per split the metrics' {@link dev.neurite.spi.Metric#details() details} (a confusion matrix, ...).
 */
public record TrainingResult(int epochs, String stopReason, double seconds, Map<String, Map<String, Double>> finalMetrics,
                             Map<String, Map<String, Object>> details) {}
