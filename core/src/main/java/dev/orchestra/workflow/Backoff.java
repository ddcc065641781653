package dev.orchestra.workflow;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait between attempts: {@code delay * factor^(n-1)}, capped at {@code max}.
 *
 * <p>The constructor checks the invariants below and names the rule and the value it was given; the
 * parser reports the same rules at their place in the file before it builds one (and also refuses a
 * {@code max} written shorter than the {@code delay}, a mistake there; the default {@code max} does
 * cut a longer delay).
 *
 * @param delay the wait before the second attempt, zero or more
 * @param factor the growth per attempt, a finite number {@code >= 1}
 * @param max the longest wait, zero or more; every wait is cut to it
 */
public record Backoff(Duration delay, double factor, Duration max) {
  /** The backoff used when neither the node nor the defaults name one. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1));

  public Backoff {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(max, "max");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("backoff delay must be >= 0, was " + delay);
    }
    if (!(factor >= 1) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("backoff factor must be >= 1 and finite, was " + factor);
    }
    if (max.isNegative()) {
      throw new IllegalArgumentException("backoff max must be >= 0, was " + max);
    }
  }

  /** The wait before attempt {@code next} (2 for the first retry), without jitter. */
  public Duration before(int next) {
    double millis = delay.toMillis() * Math.pow(factor, Math.max(0, next - 2));
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }
}
