package dev.orchestra.cli.run;

import dev.orchestra.event.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the run commands print durations, times, tokens and costs. Thread-safe. */
public final class Formats {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Formats() {}

  /** {@code 850ms}, {@code 1.2s}, {@code 2m05s}, {@code 1h02m}. */
  public static String duration(long ms) {
    if (ms < 1000) {
      return Math.max(ms, 0) + "ms";
    }
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  public static String duration(Duration d) {
    return duration(d.toMillis());
  }

  /** The time of day in the local zone, {@code 12:00:01}. */
  public static String clock(Instant t) {
    return CLOCK.format(t);
  }

  /** Date and time in the local zone, {@code 2026-11-23 12:00:01}. */
  public static String stamp(Instant t) {
    return STAMP.format(t);
  }

  /** Total tokens, or {@code -} when none were used (command agents). */
  public static String tokens(Usage u) {
    return u == null || u.totalTokens() == 0 ? "-" : Long.toString(u.totalTokens());
  }

  /** Total tokens in three figures, {@code 850}, {@code 41.2k}, {@code 1.25M}. */
  public static String compactTokens(long tokens) {
    if (tokens < 1000) {
      return Long.toString(Math.max(tokens, 0));
    }
    double value = tokens < 1_000_000 ? tokens / 1000.0 : tokens / 1_000_000.0;
    String unit = tokens < 1_000_000 ? "k" : "M";
    String figures =
        new BigDecimal(value)
            .round(new MathContext(3, RoundingMode.HALF_UP))
            .stripTrailingZeros()
            .toPlainString();
    return figures + unit;
  }

  /**
   * Cost in dollars with cents ({@code $0.42}), four decimals below a cent ({@code $0.0042}), or
   * {@code -} when nothing was spent; {@code ~} marks an estimate from a price table.
   */
  public static String compactCost(Usage u) {
    if (u == null || u.costUsd().signum() == 0) {
      return "-";
    }
    BigDecimal c = u.costUsd();
    int scale = c.compareTo(new BigDecimal("0.01")) < 0 ? 4 : 2;
    return (u.costEstimated() ? "~$" : "$") + c.setScale(scale, RoundingMode.HALF_UP);
  }

  /**
   * Cost in dollars with cents, or {@code -} when nothing was spent; {@code ~} marks an estimate
   * from a price table.
   */
  public static String cost(Usage u) {
    if (u == null || u.costUsd().signum() == 0) {
      return "-";
    }
    BigDecimal c = u.costUsd();
    return (u.costEstimated() ? "~$" : "$")
        + c.setScale(c.compareTo(BigDecimal.ONE) < 0 ? 4 : 2, RoundingMode.HALF_UP);
  }

  /** {@code text} cut to {@code width} characters, ending in an ellipsis when cut. */
  public static String truncate(String text, int width) {
    if (width <= 0) {
      return "";
    }
    return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
  }

  /** {@code text} padded with spaces on the right to {@code width}. */
  public static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
