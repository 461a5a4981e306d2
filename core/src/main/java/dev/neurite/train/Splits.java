package dev.neurite.train;

import dev.neurite.config.SplitSpec;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.RandomStream;
import java.util.Arrays;

/** The training split and the optional validation and test splits (null when their fraction is 0). */
public record Splits(Dataset train, Dataset validation, Dataset test) {
  /**
   * Shuffles the rows with {@code random} and cuts them by the spec's fractions: test and
   * validation sizes are rounded, training gets the rest.
   */
  public static Splits of(Dataset all, SplitSpec spec, RandomStream random) {
    int n = all.size();
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    random.shuffle(order);
    int nTest = (int) Math.round(n * spec.test());
    int nVal = (int) Math.round(n * spec.validation());
    int nTrain = n - nTest - nVal;
    if (nTrain <= 0) {
      throw new IllegalArgumentException("the split leaves no training rows (" + n + " rows in the data)");
    }
    Dataset train = all.rows(Arrays.copyOfRange(order, 0, nTrain));
    Dataset val = nVal == 0 ? null : all.rows(Arrays.copyOfRange(order, nTrain, nTrain + nVal));
    Dataset test = nTest == 0 ? null : all.rows(Arrays.copyOfRange(order, nTrain + nVal, n));
    return new Splits(train, val, test);
  }
}
