package dev.orchestra.workflow;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code logs} key: how much of each stream (stdout, stderr) of one attempt the records keep
 * ({@code stdout.log}, {@code stderr.log}, a critic's {@code transcript.log}). Past {@code max} the
 * records keep its first half and its last half with a line naming what was left out between them;
 * {@link #UNLIMITED} keeps the full stream. An untrusted run keeps at most {@link
 * #UNTRUSTED_CEILING} whatever a workflow asks for (docs/security.md, "Inputs and limits").
 *
 * @param max the most characters (plus one per line break) kept of each stream; {@link
 *     Long#MAX_VALUE} for no limit; at least {@link #MIN}
 */
public record Logs(long max) {
  /** The smallest cap a workflow may set. */
  public static final long MIN = 1L << 10;

  /** Each stream kept in full. */
  public static final Logs UNLIMITED = new Logs(Long.MAX_VALUE);

  /** When neither the node nor the defaults say: 4 MiB from the start and the last 4 MiB. */
  public static final Logs DEFAULT = new Logs(8L << 20);

  /** The most an untrusted run keeps of each stream; more needs {@code --trust-local}. */
  public static final long UNTRUSTED_CEILING = 256L << 20;

  /** What {@code max} accepts: a size ({@code 64MiB}, {@code 512k}, {@code 1g}) or this word. */
  public static final String UNLIMITED_WORD = "unlimited";

  private static final Pattern SIZE =
      Pattern.compile(
          "([0-9][0-9_]*)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

  public Logs {
    if (max < MIN) {
      throw new IllegalArgumentException("logs max must be at least 1 KiB, was " + max);
    }
  }

  public boolean isUnlimited() {
    return max == Long.MAX_VALUE;
  }

  /** This cap as an untrusted run applies it: at most {@link #UNTRUSTED_CEILING}. */
  public Logs untrusted() {
    return max > UNTRUSTED_CEILING ? new Logs(UNTRUSTED_CEILING) : this;
  }

  /**
   * The characters a size means, in powers of 1,024 ({@code k}, {@code KiB}, {@code KB} alike; no
   * unit for bytes); empty when {@code text} is not a size or overflows.
   */
  public static OptionalLong size(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    try {
      long n = Long.parseLong(m.group(1).replace("_", ""));
      return n > (Long.MAX_VALUE >> shift) ? OptionalLong.empty() : OptionalLong.of(n << shift);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code unlimited}, {@code 64 MiB}, {@code 1.5 MiB}, {@code 640 KiB}, {@code 12 bytes}. */
  public String describe() {
    return isUnlimited() ? UNLIMITED_WORD : describe(max);
  }

  /** {@code 3.2 MiB}, {@code 640 KiB}, {@code 12 bytes}. */
  public static String describe(long chars) {
    if (chars >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", chars / (double) (1L << 20));
    }
    if (chars >= 1L << 10) {
      return String.format(Locale.ROOT, "%d KiB", chars >> 10);
    }
    return chars + (chars == 1 ? " byte" : " bytes");
  }
}
