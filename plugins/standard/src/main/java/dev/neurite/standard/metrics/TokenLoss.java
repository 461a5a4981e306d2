package dev.neurite.standard.metrics;

import dev.neurite.spi.Loss;
import dev.neurite.spi.Metric;
import dev.neurite.spi.SetupCheck;
import dev.neurite.spi.State;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Tensor;
import java.util.Map;

/**
 * The cross-entropy of the targets under the model's predicted distribution, averaged over every token
 * (every step of every sample), from the outputs themselves (scores through a softmax, or log-probabilities
 * after log_softmax) whatever the training loss and its label smoothing: what {@code token_cross_entropy},
 * {@code perplexity} and {@code bits_per_character} report in their units.
 */
abstract class TokenLoss implements Metric, Stateful, SetupCheck {
  private double nats;
  private long tokens;
  private boolean logProbabilities;

  /** The metric from the mean cross-entropy in nats per token. */
  abstract double fromNats(double meanNats);

  abstract String name();

  @Override
  public void check(Setup setup) {
    if (setup.reading() != Loss.Reading.CLASS_LOGITS && setup.reading() != Loss.Reading.CLASS_LOG_PROBABILITIES) {
      throw new IllegalArgumentException(name() + " reads class scores (softmax_cross_entropy) or log-probabilities (nll); "
          + "this run's loss reads its outputs as " + setup.reading().name().toLowerCase(java.util.Locale.ROOT));
    }
    int rank = setup.output().rank();
    int steps = rank == 1 ? 1 : setup.output().dim(0);
    if (rank > 2 || setup.target().size() != steps) {
      throw new IllegalArgumentException(name() + " needs a class index per output row: outputs [classes] with targets [1], or "
          + "[time, classes] with [time]; got outputs " + setup.output() + " and targets " + setup.target());
    }
    logProbabilities = setup.reading() == Loss.Reading.CLASS_LOG_PROBABILITIES;
  }

  @Override
  public void reset() {
    nats = 0;
    tokens = 0;
  }

  @Override
  public void update(Tensor output, Tensor target, double batchLoss) {
    int c = output.shape().dim(output.shape().rank() - 1);
    int rows = output.size() / c;
    float[] z = output.data();
    float[] t = target.data();
    for (int r = 0; r < rows; r++) {
      int o = r * c;
      if (t[r] == StepMask.IGNORED_TARGET) continue; // a padded step
      tokens++;
      int k = (int) t[r];
      if (logProbabilities) {
        nats -= z[o + k];
      } else {
        float max = Kernels.max(z, o, c);
        nats -= z[o + k] - max - Kernels.logSumExp(z, o, c, max);
      }
    }
  }

  @Override
  public double value() {
    return tokens == 0 ? Double.NaN : fromNats(nats / tokens);
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public State state() {
    return new State(Map.of(), Map.of("nats", nats, "tokens", tokens));
  }

  @Override
  public void load(State state) {
    nats = state.numbers().get("nats").doubleValue();
    tokens = state.numbers().get("tokens").longValue();
  }
}
