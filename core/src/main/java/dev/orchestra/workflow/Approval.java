package dev.orchestra.workflow;

import java.util.List;
import java.util.Objects;

/**
 * A node's approval gate ({@code approval: {message, approvers}}, docs/workflow.md): once its needs
 * have succeeded the node waits, holding no concurrency slot, until a person approves it (then it
 * runs) or rejects it (then it fails).
 *
 * @param message what the person is asked, a template over the run's inputs and the outputs of the
 *     nodes this one needs; {@code null} for {@link #DEFAULT_MESSAGE}
 * @param approvers who may decide; empty for anyone. Each is a non-blank name without commas (one
 *     person or group per entry, as Jenkins' {@code input} submitter list needs), none twice
 */
public record Approval(String message, List<String> approvers) {

  /** The question asked when the gate names none. */
  public static final String DEFAULT_MESSAGE = "Run this node?";

  public Approval {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    for (int i = 0; i < approvers.size(); i++) {
      String a = Objects.requireNonNull(approvers.get(i), "approver");
      if (a.isBlank() || a.contains(",")) {
        throw new IllegalArgumentException(
            "an approver must be one non-blank name without commas, was '" + a + "'");
      }
      if (approvers.subList(0, i).contains(a)) {
        throw new IllegalArgumentException("approver '" + a + "' is listed twice");
      }
    }
  }

  /** The message as written, or {@link #DEFAULT_MESSAGE}. */
  public String messageOrDefault() {
    return message != null ? message : DEFAULT_MESSAGE;
  }

  /** Whether {@code who} may decide: any one may when the gate names no approvers. */
  public boolean allows(String who) {
    return approvers.isEmpty() || approvers.contains(who);
  }
}
