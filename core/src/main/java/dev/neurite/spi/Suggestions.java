package dev.neurite.spi;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" suggestions for misspelled names, for core and plugins alike. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code input}, if it is close enough to be a likely typo. A candidate
   * that begins with an input of three or more letters comes first, the shortest such ({@code conv} is
   * {@code conv2d}, not {@code csv}); otherwise the nearest by edit distance, ties going to the
   * candidate nearest in length ({@code rleu} is {@code relu} rather than {@code elu}).
   */
  public static Optional<String> closest(String input, Collection<String> candidates) {
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.length() >= 3) {
      Optional<String> completed = candidates.stream()
          .filter(c -> c.length() > lower.length() && c.toLowerCase(Locale.ROOT).startsWith(lower))
          .min(Comparator.comparingInt(String::length).thenComparing(c -> c));
      if (completed.isPresent()) return completed;
    }
    return candidates.stream()
        .min(Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase(Locale.ROOT)))
            .thenComparingInt(c -> Math.abs(c.length() - input.length()))
            .thenComparing(c -> c))
        .filter(c -> distance(lower, c.toLowerCase(Locale.ROOT)) <= Math.max(2, c.length() / 3));
  }

  /** "; did you mean 'x'?" or an empty string. */
  public static String didYouMean(String input, Collection<String> candidates) {
    return closest(input, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of two adjacent letters as
   * one edit each (optimal string alignment), since swapped letters are the commonest typo.
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
