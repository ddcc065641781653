package dev.orchestra.server.github;

import java.util.List;
import java.util.regex.Pattern;

/** The globs of {@code on.pull_request}'s {@code branches} and {@code paths}. */
final class PathGlobs {
  private PathGlobs() {}

  /** Whether {@code globs} is empty or one of them matches one of {@code values}. */
  static boolean matchesAny(List<String> globs, List<String> values) {
    if (globs.isEmpty()) {
      return true;
    }
    for (String g : globs) {
      Pattern p = glob(g);
      for (String v : values) {
        if (p.matcher(v).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code glob} as a pattern: {@code *} and {@code ?} stay within one path segment, {@code **}
   * crosses segments ({@code src/**}{@code /x} also matches {@code src/x}).
   */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      if (ch == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
          i++;
          re.append("(?:/)?");
        }
      } else if (ch == '*') {
        re.append("[^/]*");
      } else if (ch == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
