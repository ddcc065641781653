package dev.orchestra.workflow;

import java.time.Duration;

/**
 * How long to wait between attempts: {@code delay * factor^(n-1)}, capped at {@code max}.
 *
 * @param delay the wait before the second attempt
 * @param factor the growth per attempt, at least 1
 * @param max the longest wait
 */
public record Backoff(Duration delay, double factor, Duration max) {
  /** The backoff used when neither the node nor the defaults name one. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1));

  /** The wait before attempt {@code next} (2 for the first retry), without jitter. */
  public Duration before(int next) {
    double millis = delay.toMillis() * Math.pow(factor, Math.max(0, next - 2));
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }
}
