package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.Decision;
import dev.orchestra.workflow.Approval;
import dev.orchestra.workflow.parse.Suggestions;
import java.util.List;
import java.util.Optional;

/**
 * Who may decide what on an approval gate, for every way a decision arrives (a running run's {@link
 * RunHandle}, {@link Engine#decide} for a run another process runs or none does): the node must
 * exist and have a gate, the person must be one of its approvers (when it names any), and the first
 * decision is final, so the same verdict again changes nothing and the other one is refused. A node
 * may be decided before it waits (its needs still running, or the run interrupted): it uses the
 * decision when it gets to its gate.
 */
final class DecisionRules {
  private DecisionRules() {}

  /**
   * The answer before anything is recorded: a refusal, or {@link DecisionOutcome.Unchanged}; empty
   * when {@code proposed} may be recorded.
   *
   * @param n the node, or {@code null} when the run has none of that id
   * @param existing the decision on record for the node, or {@code null}
   */
  static Optional<DecisionOutcome> check(
      RunGraph graph,
      String runId,
      String node,
      GraphNode n,
      Decision existing,
      Decision proposed) {
    if (n == null) {
      List<String> ids = graph.nodes.stream().map(g -> g.id).toList();
      String hint =
          Suggestions.closest(node, ids).map(s -> "; did you mean '" + s + "'?").orElse("");
      return refuse("run " + runId + " has no node '" + node + "'" + hint + gated(graph));
    }
    Approval gate = n.spec.approval();
    if (gate == null) {
      return refuse("node '" + node + "' of run " + runId + " has no approval gate" + gated(graph));
    }
    if (!gate.allows(proposed.by())) {
      return refuse(
          "'"
              + proposed.by()
              + "' may not decide node '"
              + node
              + "': its approvers are "
              + String.join(", ", gate.approvers()));
    }
    if (existing != null) {
      return Optional.of(answer(existing, proposed, node));
    }
    return Optional.empty();
  }

  /** The answer once the store has recorded, or kept, a decision. */
  static DecisionOutcome settle(
      Decision proposed, Decision onRecord, String node, NodeStatus status) {
    return onRecord.equals(proposed)
        ? new DecisionOutcome.Recorded(onRecord, status)
        : answer(onRecord, proposed, node);
  }

  private static DecisionOutcome answer(Decision existing, Decision proposed, String node) {
    if (existing.sameVerdict(proposed)) {
      return new DecisionOutcome.Unchanged(existing);
    }
    return new DecisionOutcome.Refused(
        "node '"
            + node
            + "' was "
            + existing.describe()
            + " at "
            + existing.time()
            + " already; a decision is final (start a new run to decide again)");
  }

  /**
   * {@code d} with the run's secrets masked in its comment, as everything a run records is: a
   * comment is typed by a person, who may paste a token into it.
   */
  static Decision masked(Decision d, SecretMasker masker) {
    return d.comment() == null || masker.isEmpty()
        ? d
        : new Decision(d.approved(), d.by(), masker.mask(d.comment()), d.time());
  }

  /** The node's status as its recorded events leave it. */
  static NodeStatus status(List<RecordedEvent> events, String node) {
    NodeStatus status = NodeStatus.PENDING;
    for (RecordedEvent r : events) {
      Event e = r.event();
      if (!node.equals(e.node())) {
        continue;
      }
      if (e instanceof Event.NodeWaitingApproval) {
        status = NodeStatus.WAITING_APPROVAL;
      } else if (e instanceof Event.NodeApproved) {
        status = NodeStatus.PENDING;
      } else if (e instanceof Event.NodeStarted) {
        status = NodeStatus.RUNNING;
      } else if (e instanceof Event.NodeFinished f) {
        status = f.status();
      }
    }
    return status;
  }

  private static String gated(RunGraph graph) {
    List<String> gated = graph.nodes.stream().filter(g -> g.spec.isGated()).map(g -> g.id).toList();
    return gated.isEmpty()
        ? " (no node of its workflow has one)"
        : " (nodes with an approval gate: " + String.join(", ", gated) + ")";
  }

  private static Optional<DecisionOutcome> refuse(String reason) {
    return Optional.of(new DecisionOutcome.Refused(reason));
  }
}
