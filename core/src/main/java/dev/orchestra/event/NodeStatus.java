package dev.orchestra.event;

import java.util.Locale;

/** A node's status (docs/runs.md). Events carry the lower-case {@link #wireName()}. */
public enum NodeStatus {
  PENDING,
  RUNNING,
  CHECKING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  ERROR,
  TIMED_OUT,
  BUDGET_EXCEEDED,
  RATE_LIMITED,
  /** Its needs succeeded and it waits for a person to approve or reject it; holds no slot. */
  WAITING_APPROVAL,
  CANCELLED,
  SKIPPED;

  /** The status as written in events and records, e.g. {@code timed_out}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #wireName()}. */
  public static NodeStatus fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Whether the node will not change status again in this run. */
  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, ERROR, TIMED_OUT, BUDGET_EXCEEDED, CANCELLED, SKIPPED -> true;
      default -> false;
    };
  }
}
