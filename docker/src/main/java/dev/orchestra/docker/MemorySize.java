package dev.orchestra.docker;

import dev.orchestra.OrchestraException.LaunchException;
import java.util.Locale;

/** Memory sizes as Docker writes them: {@code 512m}, {@code 4g}, {@code 1048576} (bytes). */
final class MemorySize {
  /** Docker refuses limits below this. */
  static final long MINIMUM = 6L << 20;

  private MemorySize() {}

  static long parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new LaunchException(
          "docker memory '" + text + "' is not a size; write it like 512m or 4g", e);
    }
    if (bytes < MINIMUM) {
      throw new LaunchException(
          "docker memory '" + text + "' is below Docker's minimum of 6m; give at least 6m");
    }
    return bytes;
  }
}
