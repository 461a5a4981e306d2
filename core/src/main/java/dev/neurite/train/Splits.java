package dev.neurite.train;

import dev.neurite.config.SplitSpec;
import dev.neurite.spi.DataRowException;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.RandomStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** The training split and the optional validation and test splits (null when absent). */
public record Splits(Dataset train, Dataset validation, Dataset test) {
  /**
   * Shuffles the rows with {@code random} and cuts them by the spec's fractions: test and
   * validation sizes are rounded, training gets the rest. Stratified, the cut is made per class
   * (so each class keeps its share in every split) and each split is then shuffled. The splits
   * are views: nothing is copied.
   */
  public static Splits of(Dataset all, SplitSpec spec, RandomStream random) {
    return of(all, spec, random, false);
  }

  /**
   * As {@link #of(Dataset, SplitSpec, RandomStream)}; when {@code ordered} (a time series), the rows keep
   * their order: training is the first span, then validation, then test.
   */
  public static Splits of(Dataset all, SplitSpec spec, RandomStream random, boolean ordered) {
    int n = all.size();
    if (ordered && spec.stratify()) {
      throw new IllegalArgumentException("the source's rows are in time order, which is split into spans; stratify cannot apply");
    }
    if (!spec.stratify()) {
      int[] order = identity(n);
      if (!ordered) random.shuffle(order);
      int nTest = (int) Math.round(n * spec.test());
      int nVal = (int) Math.round(n * spec.validation());
      requireRows("validation", spec.validation(), nVal, n);
      requireRows("test", spec.test(), nTest, n);
      return cut(all, order, n - nTest - nVal, nVal, n);
    }
    TreeMap<Integer, List<Integer>> byClass = classes(all);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (List<Integer> rows : byClass.values()) {
      int[] order = rows.stream().mapToInt(Integer::intValue).toArray();
      random.shuffle(order);
      int nTest = (int) Math.round(order.length * spec.test());
      int nVal = (int) Math.round(order.length * spec.validation());
      int nTrain = order.length - nTest - nVal;
      for (int i = 0; i < order.length; i++) (i < nTrain ? train : i < nTrain + nVal ? val : test).add(order[i]);
    }
    int[] order = new int[n];
    int k = 0;
    for (List<Integer> part : List.of(train, val, test)) {
      int[] p = part.stream().mapToInt(Integer::intValue).toArray();
      random.shuffle(p);
      for (int i : p) order[k++] = i;
    }
    requireRows("validation", spec.validation(), val.size(), n);
    requireRows("test", spec.test(), test.size(), n);
    return cut(all, order, train.size(), val.size(), n);
  }

  /** A split asked for (a fraction above 0) that gets no row would silently go unevaluated. */
  private static void requireRows(String split, double fraction, int rows, int n) {
    if (fraction > 0 && rows == 0) {
      throw new IllegalArgumentException("the " + split + " fraction " + fraction + " of " + n + " rows gives the " + split
          + " split no row; use more data or a larger fraction");
    }
  }

  private static Splits cut(Dataset all, int[] order, int nTrain, int nVal, int n) {
    if (nTrain <= 0) throw new IllegalArgumentException("the split leaves no training rows (" + n + " rows in the data)");
    Dataset train = all.rows(Arrays.copyOfRange(order, 0, nTrain));
    Dataset val = nVal == 0 ? null : all.rows(Arrays.copyOfRange(order, nTrain, nTrain + nVal));
    Dataset test = nTrain + nVal == n ? null : all.rows(Arrays.copyOfRange(order, nTrain + nVal, n));
    return new Splits(train, val, test);
  }

  private static TreeMap<Integer, List<Integer>> classes(Dataset all) {
    if (all.targetShape().size() != 1) {
      throw new IllegalArgumentException("stratify needs class-index targets of shape [1], but the targets have shape "
          + all.targetShape());
    }
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    float[] y = new float[1];
    for (int i = 0; i < all.size(); i++) {
      all.readTarget(i, y, 0);
      if (y[0] != Math.rint(y[0])) {
        throw new DataRowException(i, "stratify needs class-index targets, but ", " has target " + y[0], true);
      }
      byClass.computeIfAbsent((int) y[0], c -> new ArrayList<>()).add(i);
    }
    return byClass;
  }

  static int[] identity(int n) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> i);
    return a;
  }
}
