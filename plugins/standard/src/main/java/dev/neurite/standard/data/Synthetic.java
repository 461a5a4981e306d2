package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

@Example("kind: two_moons")
@Doc("Generated data, drawn from the source's own random stream (so it follows the experiment seed): xor, two_moons, "
    + "spirals, blobs and informative are classification (class-index targets), regression is y = x.w + b + noise; "
    + "informative has features standard-normal columns of which only the first `informative` decide the class (as "
    + "scikit-learn's make_classification with shuffle=False), the rest are noise: a ground truth for feature importance. "
    + "Sequences [length, features] for recurrent models: adding (Hochreiter and Schmidhuber 1997; as Le et al. 2015: "
    + "step t holds a value uniform in [0, 1) and a marker, 1 at one step of the first half and one of the second, 0 "
    + "elsewhere; the target is the sum of the two marked values, whose variance is 1/6), parity (one bit per step, "
    + "the class is their sum modulo 2), copy_memory (Arjovsky et al. 2016: token indices [length + 20]: ten symbols "
    + "from 1..8, length - 1 blanks (0), the delimiter 9, ten blanks; the targets [length + 20] are blanks up to the "
    + "last ten steps, which must repeat the ten symbols; predicting blanks and then any symbol scores a "
    + "cross-entropy of 10 ln 8 / (length + 20))")
public final class Synthetic implements DataSource {
  public enum Kind { XOR, TWO_MOONS, SPIRALS, BLOBS, REGRESSION, INFORMATIVE, ADDING, PARITY, COPY_MEMORY }

  public record Params(
      @Doc("xor, two_moons, spirals, blobs, regression, informative, adding, parity or copy_memory") Kind kind,
      @Doc("number of samples") @Default("1000") @Min(1) int samples,
      @Doc("standard deviation of the gaussian noise (blobs: of each cluster)") @Default("0.1") @Min(0) double noise,
      @Doc("classes (spirals, blobs)") @Default("3") @Min(2) int classes,
      @Doc("input features (blobs, regression, informative; the others are 2-D)") @Default("2") @Min(1) int features,
      @Doc("informative: how many of the features (the first ones) decide the class") @Default("2") @Min(1) int informative,
      @Doc("adding, parity: steps per sequence; copy_memory: the steps between the symbols and their recall") @Default("50") @Min(2) int length) {
    public Params {
      if (kind == Kind.INFORMATIVE && informative > features) {
        throw new IllegalArgumentException("informative (" + informative + ") must be at most features (" + features + ")");
      }
    }
  }

  private final Params p;
  private final RandomStream random;

  @Inject
  public Synthetic(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public Dataset load() {
    if (p.kind() == Kind.ADDING || p.kind() == Kind.PARITY) return sequences();
    if (p.kind() == Kind.COPY_MEMORY) return copyMemory();
    int n = p.samples();
    int w = p.kind() == Kind.BLOBS || p.kind() == Kind.REGRESSION || p.kind() == Kind.INFORMATIVE ? p.features() : 2;
    float[] x = new float[n * w];
    float[] y = new float[n];
    switch (p.kind()) {
      case XOR -> {
        for (int i = 0; i < n; i++) {
          double a = random.nextDouble() * 2 - 1;
          double b = random.nextDouble() * 2 - 1;
          y[i] = (a > 0) != (b > 0) ? 1 : 0;
          x[2 * i] = (float) (a + p.noise() * random.nextGaussian());
          x[2 * i + 1] = (float) (b + p.noise() * random.nextGaussian());
        }
      }
      case TWO_MOONS -> { // as scikit-learn's make_moons: the outer moon is class 0
        int outer = n / 2;
        for (int i = 0; i < n; i++) {
          boolean first = i < outer;
          int k = first ? i : i - outer;
          int m = first ? outer : n - outer;
          double t = m == 1 ? 0 : Math.PI * k / (m - 1);
          double a = first ? StrictMath.cos(t) : 1 - StrictMath.cos(t);
          double b = first ? StrictMath.sin(t) : 1 - StrictMath.sin(t) - 0.5;
          x[2 * i] = (float) (a + p.noise() * random.nextGaussian());
          x[2 * i + 1] = (float) (b + p.noise() * random.nextGaussian());
          y[i] = first ? 0 : 1;
        }
      }
      case SPIRALS -> { // interleaved arms, one per class (as in CS231n's spiral data)
        for (int i = 0; i < n; i++) {
          int c = i % p.classes();
          double r = (double) (i / p.classes()) / Math.max(1, (n - 1) / p.classes());
          double t = c * 2 * Math.PI / p.classes() + 4 * r + p.noise() * random.nextGaussian();
          x[2 * i] = (float) (r * StrictMath.sin(t));
          x[2 * i + 1] = (float) (r * StrictMath.cos(t));
          y[i] = c;
        }
      }
      case BLOBS -> { // centres uniform in [-10, 10]^features, as scikit-learn's make_blobs
        double[] centres = new double[p.classes() * w];
        for (int i = 0; i < centres.length; i++) centres[i] = random.nextDouble() * 20 - 10;
        for (int i = 0; i < n; i++) {
          int c = i % p.classes();
          for (int j = 0; j < w; j++) x[i * w + j] = (float) (centres[c * w + j] + p.noise() * random.nextGaussian());
          y[i] = c;
        }
      }
      case INFORMATIVE -> { // the class is the sign of a fixed random mix of the informative columns, 2 classes
        double[] weights = new double[p.informative()];
        for (int j = 0; j < weights.length; j++) weights[j] = (j % 2 == 0 ? 1 : -1) * (0.5 + random.nextDouble());
        for (int i = 0; i < n; i++) {
          double t = 0;
          for (int j = 0; j < w; j++) {
            double v = random.nextGaussian();
            x[i * w + j] = (float) v;
            if (j < weights.length) t += weights[j] * v;
          }
          y[i] = t + p.noise() * random.nextGaussian() > 0 ? 1 : 0;
        }
      }
      case REGRESSION -> {
        double[] weights = new double[w];
        for (int j = 0; j < w; j++) weights[j] = random.nextGaussian();
        double bias = random.nextGaussian();
        for (int i = 0; i < n; i++) {
          double t = bias;
          for (int j = 0; j < w; j++) {
            double v = random.nextGaussian();
            x[i * w + j] = (float) v;
            t += weights[j] * v;
          }
          y[i] = (float) (t + p.noise() * random.nextGaussian());
        }
      }
    }
    List<String> names = IntStream.range(0, w).mapToObj(j -> "x" + j).toList();
    return new Dataset.InMemory(Tensor.wrap(x, n, w), Tensor.wrap(y, n, 1), names, Map.of("generated", p.kind().name().toLowerCase()));
  }

  /** Symbols to remember, blanks, the delimiter, and ten steps in which to recall the symbols; drawn sample by sample. */
  private Dataset copyMemory() {
    int n = p.samples();
    int symbols = 10;
    int steps = p.length() + 2 * symbols;
    float[] x = new float[n * steps];
    float[] y = new float[n * steps];
    for (int i = 0; i < n; i++) {
      int at = i * steps;
      for (int t = 0; t < symbols; t++) {
        float symbol = 1 + random.nextInt(8);
        x[at + t] = symbol;
        y[at + steps - symbols + t] = symbol;
      }
      x[at + symbols + p.length() - 1] = 9; // the delimiter: recall starts at the next step
    }
    return new Dataset.InMemory(Tensor.wrap(x, n, steps), Tensor.wrap(y, n, steps), List.of(),
        Map.of("generated", "copy_memory", "length", p.length()));
  }

  /** The sequence kinds: samples [length, features], drawn sample by sample. */
  private Dataset sequences() {
    int n = p.samples();
    int steps = p.length();
    boolean adding = p.kind() == Kind.ADDING;
    int w = adding ? 2 : 1;
    float[] x = new float[n * steps * w];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int at = i * steps * w;
      if (adding) {
        for (int t = 0; t < steps; t++) x[at + 2 * t] = random.nextFloat();
        int half = steps / 2;
        int first = random.nextInt(half);
        int second = half + random.nextInt(steps - half);
        x[at + 2 * first + 1] = 1;
        x[at + 2 * second + 1] = 1;
        y[i] = x[at + 2 * first] + x[at + 2 * second];
      } else {
        int ones = 0;
        for (int t = 0; t < steps; t++) {
          int bit = random.nextInt(2);
          x[at + t] = bit;
          ones += bit;
        }
        y[i] = ones % 2;
      }
    }
    return new Dataset.InMemory(Tensor.wrap(x, n, steps, w), Tensor.wrap(y, n, 1), List.of(),
        Map.of("generated", p.kind().name().toLowerCase(), "length", steps));
  }
}
