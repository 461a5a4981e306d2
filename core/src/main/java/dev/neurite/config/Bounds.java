package dev.neurite.config;

import dev.neurite.spi.Max;
import dev.neurite.spi.Min;

/** How {@link Min} and {@link Max} read in messages and listings: {@code >= 0 and < 1}. */
public final class Bounds {
  private Bounds() {}

  /** The allowed range, or an empty string when there are no bounds. */
  public static String describe(Min min, Max max) {
    String lo = min == null ? null : (min.exclusive() ? "> " : ">= ") + number(min.value());
    String hi = max == null ? null : (max.exclusive() ? "< " : "<= ") + number(max.value());
    if (lo != null && hi != null) return lo + " and " + hi;
    return lo != null ? lo : hi == null ? "" : hi;
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
