package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.parse.Suggestions;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** Message fragments naming what exists: did-you-mean hints and short lists. */
final class Names {
  private static final int LISTED = 10;

  private Names() {}

  /**
   * The hint of a problem about {@code word}: {@code "did you mean 'x'?"} when a candidate is close
   * to it, else {@code otherwise}.
   */
  static String hint(String word, Collection<String> candidates, String otherwise) {
    Optional<String> closest = Suggestions.closest(word, candidates);
    return closest.map(c -> "did you mean '" + c + "'?").orElse(otherwise);
  }

  /** The first few names, sorted and quoted, e.g. {@code 'a', 'b'}; "none" when there are none. */
  static String list(Collection<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    String shown =
        names.stream()
            .sorted()
            .limit(LISTED)
            .map(n -> "'" + n + "'")
            .collect(Collectors.joining(", "));
    return names.size() > LISTED ? shown + " and " + (names.size() - LISTED) + " more" : shown;
  }
}
