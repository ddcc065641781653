package dev.orchestra.secret;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Queue;

/**
 * Finds every occurrence of a fixed set of forms in a text in one pass (an Aho–Corasick automaton),
 * ignoring line breaks: {@code \r}, {@code \n} and their JSON escapes (the two characters {@code
 * \n}, {@code \r}) are stepped over, in the forms as in the text, so that a form wrapped over lines
 * (base64 at 76 columns, a long line cut by a terminal) or a JSON string that carries such a line
 * break is found as one. A backslash pair {@code \\} is read as a unit, so an escaped backslash
 * before an {@code n} is not taken for a line break.
 *
 * <p>Cost: building is O(total length of the forms); a scan is O(text length), independent of the
 * number of forms, plus the length of every match. Immutable and thread-safe.
 */
final class FormMatcher {
  private static final int ROOT = 0;

  /** Transitions from the root, by character: most of a text is read from here. */
  private final int[] rootNext = new int[Character.MAX_VALUE + 1];

  /** Per state: its children's characters and states, {@code first[s]} to {@code first[s+1]}. */
  private final int[] first;

  private final char[] keys;
  private final int[] next;
  private final int[] fail;

  /** Per state: how many characters it has read (the length of its prefix of a form). */
  private final int[] depth;

  /** Per state: the length of the longest form that ends here, 0 when none. */
  private final int[] match;

  private final int longest;

  private FormMatcher(
      int[] first, char[] keys, int[] next, int[] fail, int[] depth, int[] match, int longest) {
    this.first = first;
    this.keys = keys;
    this.next = next;
    this.fail = fail;
    this.depth = depth;
    this.match = match;
    this.longest = longest;
    for (int i = first[ROOT]; i < first[ROOT + 1]; i++) {
      rootNext[keys[i]] = next[i];
    }
  }

  /** A matcher for {@code forms}; each is {@linkplain #normalize normalized} first. */
  static FormMatcher of(Collection<String> forms) {
    // The trie, built with growable per-state child lists, then flattened.
    List<StringBuilder> childKeys = new ArrayList<>();
    List<List<Integer>> childStates = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    childKeys.add(new StringBuilder());
    childStates.add(new ArrayList<>());
    depths.add(0);
    ends.add(0);
    int longest = 0;
    for (String raw : forms) {
      String form = normalize(raw);
      if (form.isEmpty()) {
        continue;
      }
      longest = Math.max(longest, form.length());
      int s = ROOT;
      for (int i = 0; i < form.length(); i++) {
        char c = form.charAt(i);
        int at = childKeys.get(s).indexOf(String.valueOf(c));
        if (at >= 0) {
          s = childStates.get(s).get(at);
        } else {
          int t = depths.size();
          childKeys.add(new StringBuilder());
          childStates.add(new ArrayList<>());
          depths.add(i + 1);
          ends.add(0);
          childKeys.get(s).append(c);
          childStates.get(s).add(t);
          s = t;
        }
      }
      ends.set(s, form.length());
    }
    int n = depths.size();
    int[] first = new int[n + 1];
    for (int s = 0; s < n; s++) {
      first[s + 1] = first[s] + childKeys.get(s).length();
    }
    char[] keys = new char[first[n]];
    int[] next = new int[first[n]];
    for (int s = 0; s < n; s++) {
      StringBuilder k = childKeys.get(s);
      for (int i = 0; i < k.length(); i++) {
        keys[first[s] + i] = k.charAt(i);
        next[first[s] + i] = childStates.get(s).get(i);
      }
    }
    int[] depth = depths.stream().mapToInt(Integer::intValue).toArray();
    int[] match = ends.stream().mapToInt(Integer::intValue).toArray();
    int[] fail = new int[n];
    // Failure links in breadth-first order; a state's longest match includes its suffixes'.
    Queue<Integer> queue = new ArrayDeque<>();
    for (int i = first[ROOT]; i < first[ROOT + 1]; i++) {
      fail[next[i]] = ROOT;
      queue.add(next[i]);
    }
    while (!queue.isEmpty()) {
      int s = queue.remove();
      for (int i = first[s]; i < first[s + 1]; i++) {
        int t = next[i];
        char c = keys[i];
        int f = fail[s];
        int target;
        while (true) {
          target = child(first, keys, next, f, c);
          if (target >= 0 || f == ROOT) {
            break;
          }
          f = fail[f];
        }
        fail[t] = target >= 0 && target != t ? target : ROOT;
        match[t] = Math.max(match[t], match[fail[t]]);
        queue.add(t);
      }
    }
    return new FormMatcher(first, keys, next, fail, depth, match, longest);
  }

  /**
   * {@code text} as the automaton reads it: without {@code \r}, {@code \n} and the two-character
   * escapes {@code \r}, {@code \n} (a {@code \\} pair is kept whole).
   */
  static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        continue;
      }
      int j = afterLineBreaks(text, i + 1);
      if (c == '\\' && j < n) {
        char d = text.charAt(j);
        if (d == 'n' || d == 'r') {
          i = j;
          continue;
        }
        if (d == '\\') {
          out.append(c).append(d);
          i = j;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  boolean isEmpty() {
    return longest == 0;
  }

  /** The index of the first character at or after {@code i} that is not a line break. */
  private static int afterLineBreaks(CharSequence text, int i) {
    int n = text.length();
    while (i < n && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
      i++;
    }
    return i;
  }

  /** The length of the longest form, as normalized. */
  int longest() {
    return longest;
  }

  /** The state before anything was read. */
  static final int START = ROOT;

  /**
   * What a scan found.
   *
   * @param cover which characters of the text belong to a form, or {@code null} when none do
   * @param pending where a start of a form (at least {@code holdMin} characters of it) that the
   *     text ends with begins (0 when it began before the text), or the text's length when it ends
   *     with none
   * @param state the automaton's state after the text, to go on from with the text that follows
   */
  record Scan(boolean[] cover, int pending, int state) {}

  /**
   * Scans {@code text} from the start.
   *
   * @param holdMin the shortest start of a form at the end that {@link Scan#pending} reports
   */
  Scan scan(CharSequence text, int holdMin) {
    return scan(text, START, holdMin);
  }

  /**
   * Scans {@code text} as the continuation of a text that left the automaton in {@code state} (a
   * {@link Scan#state} of this matcher): a form that began there and ends in {@code text} is
   * covered from the start of {@code text}.
   */
  Scan scan(CharSequence text, int state, int holdMin) {
    int n = text.length();
    boolean[] cover = null;
    // For each of the last characters read, as far back as a form reaches: where its span of the
    // text starts, i.e. just after the character read before it, so that the line breaks and
    // escapes stepped over before a form's first character are covered with it. Characters read
    // before this text count as starting at 0.
    int size = Integer.highestOneBit(Math.max(1, longest)) << 1;
    int mask = size - 1;
    int[] ring = new int[size];
    long read = size;
    int from = 0;
    int s = state;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        continue;
      }
      if (c == '\\') {
        // An escape may be cut by a line break too: "\\" at the end of one line, "n" on the next.
        int j = afterLineBreaks(text, i + 1);
        char d = j < n ? text.charAt(j) : 0;
        if (d == 'n' || d == 'r') {
          i = j;
          continue;
        }
        if (d == '\\') {
          s = step(s, c);
          ring[(int) (read++ & mask)] = from;
          from = i + 1;
          if (match[s] != 0) {
            cover = covered(text, cover, match[s], ring, read, mask, i);
          }
          c = d;
          i = j;
        }
      }
      s = step(s, c);
      ring[(int) (read++ & mask)] = from;
      from = i + 1;
      if (match[s] != 0) {
        cover = covered(text, cover, match[s], ring, read, mask, i);
      }
    }
    int pending = n;
    int d = depth[s];
    if (d >= holdMin && d > 0) {
      pending = ring[(int) ((read - d) & mask)];
    }
    return new Scan(cover, pending, s);
  }

  /** Marks the form of length {@code len} that ends at {@code end}. */
  private static boolean[] covered(
      CharSequence text, boolean[] cover, int len, int[] ring, long read, int mask, int end) {
    if (cover == null) {
      cover = new boolean[text.length()];
    }
    int start = ring[(int) ((read - len) & mask)];
    Arrays.fill(cover, start, end + 1, true);
    return cover;
  }

  private int step(int s, char c) {
    while (true) {
      if (s == ROOT) {
        return rootNext[c];
      }
      int t = child(first, keys, next, s, c);
      if (t >= 0) {
        return t;
      }
      s = fail[s];
    }
  }

  private static int child(int[] first, char[] keys, int[] next, int s, char c) {
    for (int i = first[s], end = first[s + 1]; i < end; i++) {
      if (keys[i] == c) {
        return next[i];
      }
    }
    return -1;
  }
}
