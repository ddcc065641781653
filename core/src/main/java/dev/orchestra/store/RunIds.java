package dev.orchestra.store;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Run ids that sort by creation time: {@code yyyyMMdd-HHmmss-xxxx} in UTC with four random hex
 * digits, e.g. {@code 20261123-221530-3fa2}. Two runs created in the same second get different
 * suffixes with high probability; stores reject a duplicate and callers draw again.
 */
public final class RunIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** A new id for a run created now. */
  public static String next(Clock clock, Random random) {
    return FORMAT.format(clock.instant()) + "-" + String.format("%04x", random.nextInt(0x10000));
  }

  /**
   * Whether {@code id} may name a run: letters, digits, {@code _} and {@code -}, not starting with
   * a punctuation mark. Stores use it as a guard, since ids become directory names.
   */
  public static boolean isValid(String id) {
    return id != null && id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
  }
}
