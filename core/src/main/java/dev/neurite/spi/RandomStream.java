package dev.neurite.spi;

import java.nio.charset.StandardCharsets;

/**
 * A seeded stream of random numbers (SplitMix64). Each component is handed its own stream,
 * derived from the experiment's seed and the component's path in the config
 * ({@code model.layers[3]}), so adding a layer does not change another component's randomness.
 *
 * <p>The algorithm is fixed here rather than borrowed from {@code java.util.Random}, and the
 * transcendental functions come from {@link StrictMath}, so a seed gives the same numbers on every
 * JVM. The whole state is one {@code long}, which checkpoints can save and restore.
 */
public final class RandomStream {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  public RandomStream(long seed) {
    this.state = seed;
  }

  /** The stream for the component at {@code path} in an experiment seeded with {@code seed}. */
  public static RandomStream derive(long seed, String path) {
    long h = 0xcbf29ce484222325L; // FNV-1a over the path's UTF-8 bytes
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return new RandomStream(mix(mix(seed) ^ h));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, 1). */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
    int bits;
    int value;
    do {
      bits = (int) (nextLong() >>> 33);
      value = bits % bound;
    } while (bits - value + (bound - 1) < 0);
    return value;
  }

  /** Standard normal, by the Box-Muller transform (one draw per pair of uniforms). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** Shuffles {@code a} in place (Fisher-Yates). */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The whole state, for checkpoints. */
  public long state() {
    return state;
  }

  public void restore(long savedState) {
    this.state = savedState;
  }
}
