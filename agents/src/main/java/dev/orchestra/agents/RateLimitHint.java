package dev.orchestra.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads when to try again from a provider's rate-limit message: {@code retry-after: 30}, {@code
 * retry after 30 seconds}, {@code try again in 2m}, {@code Please retry in 12.5s}, or a reset time
 * as epoch seconds ({@code usage limit reached|1767225600}). Thread-safe.
 */
public final class RateLimitHint {
  private static final Pattern AFTER =
      Pattern.compile(
          "(?:retry[-_ ]?after|retry in|try again in|reset(?:s)? in)[\"':= ]*"
              + "(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds?|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern EPOCH = Pattern.compile("\\|(\\d{10})\\b");

  private RateLimitHint() {}

  /** The wait the message asks for, or empty when it names none. */
  public static Optional<Duration> parse(String message, Clock clock) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher m = AFTER.matcher(message);
    if (m.find()) {
      double amount = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
      double millis =
          unit.startsWith("ms") || unit.startsWith("milli")
              ? amount
              : unit.startsWith("h")
                  ? amount * 3_600_000
                  : unit.startsWith("m") ? amount * 60_000 : amount * 1000;
      return Optional.of(Duration.ofMillis((long) Math.ceil(millis)));
    }
    m = EPOCH.matcher(message);
    if (m.find()) {
      Duration wait =
          Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(m.group(1))));
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }
    return Optional.empty();
  }
}
