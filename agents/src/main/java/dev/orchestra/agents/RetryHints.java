package dev.orchestra.agents;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a provider's reset hint in an error message that an agent CLI printed, such as {@code
 * "Please try again in 7.5s"}, {@code "Suggested retry after 7s."}, {@code "retryDelay": "30s"} or
 * {@code Retry-After: 20}. The CLIs pass the provider's message through but not its headers, so the
 * text is all there is. Stateless.
 */
public final class RetryHints {

  private static final Pattern HINT =
      Pattern.compile(
          "(?i)(?:retry[ -]after|try again in|retry in|retrydelay)\\W{0,4}"
              + "(\\d{1,6}(?:\\.\\d{1,3})?)\\s*"
              + "(ms|milliseconds?|s\\b|secs?\\b|seconds?|m\\b|mins?\\b|minutes?|h\\b|hours?)?");

  /** No hint longer than this is believed: a misread number must not park a node for days. */
  static final Duration MAX = Duration.ofHours(1);

  private RetryHints() {}

  /**
   * The first reset hint in {@code message}, rounded up to whole milliseconds and capped at one
   * hour; a bare number counts as seconds (as in {@code Retry-After}).
   */
  public static Optional<Duration> find(String message) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher m = HINT.matcher(message);
    if (!m.find()) {
      return Optional.empty();
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(java.util.Locale.ROOT);
    double millis;
    if (unit.startsWith("ms") || unit.startsWith("milli")) {
      millis = amount;
    } else if (unit.startsWith("h")) {
      millis = amount * 3_600_000;
    } else if (unit.startsWith("m")) {
      millis = amount * 60_000;
    } else {
      millis = amount * 1_000;
    }
    Duration d = Duration.ofMillis((long) Math.ceil(millis));
    return Optional.of(d.compareTo(MAX) > 0 ? MAX : d);
  }
}
