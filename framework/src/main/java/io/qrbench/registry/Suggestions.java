package io.qrbench.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name closest to a misspelled one. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code wrong} by edit distance, if it is close enough to be a
   * plausible typo (at most half the longer name's length, or a prefix either way).
   */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    String w = wrong.toLowerCase(Locale.ROOT);
    return candidates.stream()
        .min(Comparator.comparingInt((String c) -> distance(w, c.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .filter(c -> plausible(w, c.toLowerCase(Locale.ROOT)));
  }

  private static boolean plausible(String wrong, String candidate) {
    if (wrong.isEmpty()) {
      return false;
    }
    if (candidate.startsWith(wrong) || wrong.startsWith(candidate)) {
      return true;
    }
    return distance(wrong, candidate) <= Math.max(wrong.length(), candidate.length()) / 2;
  }

  /** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
