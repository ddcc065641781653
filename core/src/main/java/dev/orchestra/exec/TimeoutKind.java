package dev.orchestra.exec;

import java.time.Duration;

/** Which limit ended a process: the wall clock or the silence. */
public enum TimeoutKind {
  /** {@code timeout}: the attempt ran longer than allowed. */
  WALL("timeout"),
  /** {@code idle_timeout}: the process printed nothing for too long, taken as hung. */
  IDLE("idle_timeout");

  private final String key;

  TimeoutKind(String key) {
    this.key = key;
  }

  /** The workflow key that set this limit: {@code timeout} or {@code idle_timeout}. */
  public String key() {
    return key;
  }

  /**
   * A sentence for users, e.g. {@code timed out after 10s (timeout)} or {@code no output for 5m
   * (idle_timeout)}.
   */
  public String describe(Duration limit) {
    String amount = format(limit);
    return this == WALL
        ? "timed out after " + amount + " (" + key + ")"
        : "no output for " + amount + " (" + key + ")";
  }

  /** A duration the way workflow files write it: {@code 250ms}, {@code 10s}, {@code 1h30m}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillisPart() != 0 && d.compareTo(Duration.ofMinutes(1)) < 0) {
      return d.toMillis() + "ms";
    }
    var text = new StringBuilder();
    if (d.toHours() > 0) {
      text.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      text.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || text.length() == 0) {
      text.append(d.toSecondsPart()).append('s');
    }
    return text.toString();
  }
}
