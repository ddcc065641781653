package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.Decision;

/**
 * What became of a person's decision on a node's approval gate ({@link Engine#decide}, {@link
 * RunHandle#approve}, {@link RunHandle#reject}).
 */
public sealed interface DecisionOutcome {

  /**
   * The decision is recorded. The process running the run takes it up at once; when none does, the
   * run takes it up when it is resumed (or {@code node exec} runs the node).
   *
   * @param status the node's status when it was recorded: {@code waiting_approval} when it was
   *     waiting; {@code pending} when its needs have not all succeeded yet (it uses the decision
   *     once they have); else the status it ended the last session in (the decision is used on
   *     resume)
   */
  record Recorded(Decision decision, NodeStatus status) implements DecisionOutcome {}

  /**
   * The node had a decision with the same verdict already (possibly by someone else): nothing
   * changed. A command that records a decision is idempotent this way.
   *
   * @param decision the decision on record
   */
  record Unchanged(Decision decision) implements DecisionOutcome {}

  /**
   * Nothing was recorded.
   *
   * @param reason why, naming the fix: no such node, no gate, not an approver, or decided otherwise
   *     already
   */
  record Refused(String reason) implements DecisionOutcome {}
}
