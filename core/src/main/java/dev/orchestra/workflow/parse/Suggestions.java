package dev.orchestra.workflow.parse;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Did-you-mean suggestions: the candidate closest to a misspelt word, by Damerau-Levenshtein
 * (optimal string alignment) distance.
 *
 * <p>A candidate is suggested only when it is close enough to be a plausible typo: at most one edit
 * for words up to five characters, and a third of the word's length (at most three edits) for
 * longer ones. Case is ignored when measuring, and a candidate that differs only in case beats any
 * other. Costs {@code O(n * k^2)} for {@code n} candidates of length about {@code k}; candidates
 * whose length alone rules them out are skipped without computing a distance. Stateless and
 * thread-safe.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code word}, if one is close enough to be a plausible typo. Exact
   * matches are never suggested (the caller asks because {@code word} is not a candidate). Ties go
   * to the lexicographically smallest candidate, so answers do not depend on iteration order.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    if (word == null || word.isEmpty()) {
      return Optional.empty();
    }
    int limit = limitFor(word.length());
    String lower = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate == null || candidate.equals(word)) {
        continue;
      }
      if (Math.abs(candidate.length() - word.length()) > limit) {
        continue;
      }
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT), limit);
      if (d > limit) {
        continue;
      }
      // A case-only difference ("Agent" for "agent") is the most likely intent of all.
      d = d == 0 ? 1 : 2 * d;
      if (d < bestDistance || (d == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int limitFor(int length) {
    return length <= 3 ? 1 : Math.min(3, Math.max(1, length / 3));
  }

  /**
   * Optimal string alignment distance between {@code a} and {@code b}: insertions, deletions,
   * substitutions and transpositions of adjacent characters each cost one. Answers {@code limit +
   * 1} as soon as the distance is known to exceed {@code limit}.
   */
  static int distance(String a, String b, int limit) {
    int n = a.length();
    int m = b.length();
    int[] previous2 = new int[m + 1];
    int[] previous = new int[m + 1];
    int[] current = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, previous2[j - 2] + 1);
        }
        current[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = previous2;
      previous2 = previous;
      previous = current;
      current = t;
    }
    return previous[m];
  }
}
