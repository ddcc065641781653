package dev.orchestra.state;

import java.time.Instant;
import java.util.List;

/**
 * A node's approval gate as its events tell it (docs/runs.md, "Approvals"): what it asks, who may
 * decide, and the decision once one was taken up.
 *
 * @param message the gate's question, rendered; {@code null} when the node was decided before it
 *     waited (no {@code node_waiting_approval} came)
 * @param approvers who may decide; empty for anyone
 * @param decision the decision, or {@code null} while none was taken up
 */
public record Approval(String message, List<String> approvers, Decision decision) {
  public Approval {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
  }

  /** Whether a decision was taken up. */
  public boolean decided() {
    return decision != null;
  }

  Approval decided(Decision d) {
    return new Approval(message, approvers, d);
  }

  /**
   * A person's decision on the gate, from {@code node_approved} or {@code node_rejected}.
   *
   * @param approved whether they approved (the node runs) rather than rejected it (it fails)
   * @param by who decided
   * @param comment what they said, or {@code null}
   * @param decidedAt when they decided, or {@code null} when the event did not say
   */
  public record Decision(boolean approved, String by, String comment, Instant decidedAt) {
    /** {@code approved} or {@code rejected}, as the JSON and the views say it. */
    public String verdict() {
      return approved ? "approved" : "rejected";
    }
  }
}
