package dev.orchestra.workflow.parse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as workflows write them (docs/workflow.md): a sequence of number-and-unit parts from
 * largest to smallest ({@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2h}, {@code
 * 1d}), or ISO-8601 ({@code PT5M}). Stateless and thread-safe.
 */
public final class Durations {
  /** The accepted forms, for error messages. */
  public static final String ACCEPTED_FORMS =
      "a number with a unit (ms, s, m, h, d) such as 500ms, 90s, 5m, 1h30m or 2h,"
          + " or ISO-8601 such as PT5M";

  private static final Pattern COMPACT =
      Pattern.compile(
          "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?",
          Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms when it is not a
   *     duration
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing duration; use " + ACCEPTED_FORMS);
    }
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty duration; use " + ACCEPTED_FORMS);
    }
    char first = Character.toUpperCase(t.charAt(0));
    if (first == 'P'
        || ((first == '-' || first == '+')
            && t.length() > 1
            && Character.toUpperCase(t.charAt(1)) == 'P')) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(bad(text), e);
      }
    }
    Matcher m = COMPACT.matcher(t);
    if (!m.matches() || t.chars().noneMatch(Character::isDigit)) {
      throw new IllegalArgumentException(bad(text));
    }
    try {
      Duration d = Duration.ZERO;
      d = d.plusDays(part(m, 1));
      d = d.plusHours(part(m, 2));
      d = d.plusMinutes(part(m, 3));
      d = d.plusSeconds(part(m, 4));
      return d.plusMillis(part(m, 5));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long", e);
    }
  }

  private static long part(Matcher m, int group) {
    String g = m.group(group);
    return g == null ? 0 : Long.parseLong(g);
  }

  private static String bad(String text) {
    return "bad duration '" + text + "'; use " + ACCEPTED_FORMS;
  }

  /**
   * Formats {@code d} in the compact form {@link #parse} reads back, largest unit first: {@code
   * 1h30m}, {@code 90ms}, {@code 0s}. Days are written as hours ({@code 48h}).
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0) {
      sb.append(seconds).append('s');
    }
    if (millis > 0) {
      sb.append(millis).append("ms");
    }
    if (sb.length() == 0) {
      // Below a millisecond: the compact form cannot say it, ISO-8601 can.
      return d.toString();
    }
    return sb.toString();
  }
}
