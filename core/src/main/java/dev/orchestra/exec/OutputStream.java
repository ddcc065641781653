package dev.orchestra.exec;

import java.util.Locale;

/** Which stream a line of process output came from. */
public enum OutputStream {
  STDOUT,
  STDERR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
