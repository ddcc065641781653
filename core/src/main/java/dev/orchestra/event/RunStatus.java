package dev.orchestra.event;

import java.util.Locale;

/** A run's status (docs/runs.md). */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
