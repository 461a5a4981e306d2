package dev.neurite.train;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How numbers read on the console and in messages: plain in the everyday range, scientific outside it. */
public final class Numbers {
  private Numbers() {}

  /** Four decimals from 1e-4 to 1e6 (and 0), else four significant digits in scientific notation: {@code 4.3180e+28}. */
  public static String format(double v) {
    if (!Double.isFinite(v)) return String.valueOf(v);
    double abs = Math.abs(v);
    if (v != 0 && (abs < 1e-4 || abs >= 1e6)) return String.format(Locale.ROOT, "%.4e", v);
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** {@code v} with {@code digits} significant digits; scientific notation below 1e-4 and from 1e6 on. */
  public static String significant(double v, int digits) {
    if (!Double.isFinite(v) || v == 0) return v == 0 ? "0" : String.valueOf(v);
    double abs = Math.abs(v);
    if (abs < 1e-4 || abs >= 1e6) return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
    return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
  }
}
