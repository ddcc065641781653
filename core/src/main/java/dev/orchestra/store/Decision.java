package dev.orchestra.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's decision on a node's approval gate ({@code approval}, docs/runs.md "Approvals").
 *
 * @param approved whether they approved the node (it runs) rather than rejected it (it fails)
 * @param by who decided: a user name as the front end knows it (the CLI's {@code --by} or the OS
 *     user, the server's token owner, Jenkins' submitter); not blank
 * @param comment what they said, or {@code null}; a blank comment is {@code null}
 * @param time when they decided
 */
public record Decision(boolean approved, String by, String comment, Instant time) {
  public Decision {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(time, "time");
    if (by.isBlank()) {
      throw new IllegalArgumentException("a decision needs the name of who decided");
    }
    comment = comment == null || comment.isBlank() ? null : comment;
  }

  public static Decision approve(String by, String comment, Instant time) {
    return new Decision(true, by, comment, time);
  }

  public static Decision reject(String by, String comment, Instant time) {
    return new Decision(false, by, comment, time);
  }

  /** {@code approved} or {@code rejected}, as messages and records say it. */
  public String verb() {
    return approved ? "approved" : "rejected";
  }

  /** Whether {@code other} decides the same way, whoever made it and whenever. */
  public boolean sameVerdict(Decision other) {
    return approved == other.approved;
  }

  /** E.g. {@code approved by alice: ship it}. */
  public String describe() {
    return verb() + " by " + by + (comment == null ? "" : ": " + comment);
  }
}
