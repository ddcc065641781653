package dev.orchestra.cli.run;

import dev.orchestra.secret.Credentials;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether standard output is an interactive terminal that understands ANSI escapes, and its size.
 *
 * @param interactive a console is attached and {@code TERM} is set and not {@code dumb}
 * @param columns its width in characters
 * @param rows its height in lines
 */
public record Terminal(boolean interactive, int columns, int rows) {

  /** A non-interactive output (a pipe or file). */
  public static Terminal none() {
    return new Terminal(false, 100, 40);
  }

  /** Detects this process's terminal; blocks briefly to ask {@code stty} for the size. */
  public static Terminal detect(Map<String, String> env) {
    String term = env.get("TERM");
    boolean interactive =
        System.console() != null && term != null && !term.isBlank() && !term.equals("dumb");
    if (!interactive) {
      return none();
    }
    int columns = number(env.get("COLUMNS"), 0);
    int rows = number(env.get("LINES"), 0);
    if (columns == 0 || rows == 0) {
      int[] size = sttySize();
      columns = columns == 0 ? size[1] : columns;
      rows = rows == 0 ? size[0] : rows;
    }
    return new Terminal(true, columns, rows);
  }

  private static int[] sttySize() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return new int[] {40, 100};
    }
    try {
      ProcessBuilder builder =
          new ProcessBuilder("stty", "size")
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      Credentials.removeVariables(builder.environment());
      Process p = builder.start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] parts = text.split("\\s+");
        if (parts.length == 2) {
          return new int[] {number(parts[0], 40), number(parts[1], 100)};
        }
      }
    } catch (IOException e) {
      // No stty: the defaults below do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new int[] {40, 100};
  }

  private static int number(String text, int fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.strip());
      return n > 0 ? n : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
