package io.qrbench.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name closest to a misspelled one. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate that {@code wrong} most plausibly misspells: one of which it is a prefix (or that
   * is a prefix of it) first, then the nearest by edit distance if that is at most half the longer
   * name's length.
   */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    String w = wrong.toLowerCase(Locale.ROOT);
    if (w.isEmpty()) {
      return Optional.empty();
    }
    return candidates.stream()
        .filter(
            c ->
                prefix(w, c.toLowerCase(Locale.ROOT))
                    || distance(w, c.toLowerCase(Locale.ROOT))
                        <= Math.max(w.length(), c.length()) / 2)
        .min(
            Comparator.comparing((String c) -> !prefix(w, c.toLowerCase(Locale.ROOT)))
                .thenComparingInt(c -> distance(w, c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
  }

  private static boolean prefix(String wrong, String candidate) {
    return candidate.startsWith(wrong) || wrong.startsWith(candidate);
  }

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
   * letters (the commonest typo, 'tnw' for 'twn') as 1 each: the optimal string alignment distance.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
