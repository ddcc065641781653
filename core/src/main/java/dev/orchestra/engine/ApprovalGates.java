package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.Decision;
import dev.orchestra.workflow.Approval;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval gates of a run's nodes: a node that gets to its gate without a decision waits
 * ({@code waiting_approval}, announced with its message rendered); it is in no ready queue, so it
 * holds neither a global nor an agent slot. With a decision it goes through (approved) or stops
 * (rejected); the decision is announced once per run ({@code node_approved} or {@code
 * node_rejected}), not again by a resumed session.
 *
 * <p>Not thread-safe: the coordinator's lock guards it, and the nodes' state it writes.
 */
final class ApprovalGates {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalGates.class);

  private final RunContext run;
  private final Set<GraphNode> waiting = new LinkedHashSet<>();

  ApprovalGates(RunContext run) {
    this.run = run;
  }

  /** What a node does at its gate. */
  sealed interface Passage {
    /** It goes on as any ready node. */
    record Through() implements Passage {}

    /** It waits for a decision. */
    record Waits() implements Passage {}

    /** It ends without running, with this status and reason. */
    record Stopped(NodeStatus status, String reason) implements Passage {}
  }

  /** {@code n}'s needs have succeeded and it has a gate. */
  Passage arrive(GraphNode n) {
    Decision d = n.decision;
    if (d == null) {
      Approval gate = n.spec.approval();
      String message;
      try {
        message =
            n.scope.render(
                gate.messageOrDefault(),
                "the approval message of node '" + n.id + "'",
                run.runId(),
                run.services().env());
      } catch (OrchestraException e) {
        return new Passage.Stopped(NodeStatus.ERROR, e.getMessage());
      }
      n.status = NodeStatus.WAITING_APPROVAL;
      waiting.add(n);
      LOG.info("run {}: node {} waits for approval", run.runId(), n.id);
      run.emit(new Event.NodeWaitingApproval(n.id, message, gate.approvers()));
      return new Passage.Waits();
    }
    if (!n.decisionAnnounced) {
      n.decisionAnnounced = true;
      run.emit(
          d.approved()
              ? new Event.NodeApproved(n.id, d.by(), d.comment(), d.time())
              : new Event.NodeRejected(n.id, d.by(), d.comment(), d.time()));
    }
    return d.approved()
        ? new Passage.Through()
        : new Passage.Stopped(NodeStatus.FAILED, rejected(d));
  }

  /** The reason a rejected node fails with: {@code rejected by BY: COMMENT}. */
  static String rejected(Decision d) {
    return "rejected by " + d.by() + (d.comment() == null ? "" : ": " + d.comment());
  }

  /**
   * Keeps the first decision on {@code n}'s gate.
   *
   * @return whether {@code n} was waiting for it: the caller lets it arrive again
   */
  boolean decided(GraphNode n, Decision d) {
    if (n.decision != null) {
      return false;
    }
    n.decision = d;
    if (waiting.remove(n)) {
      n.status = NodeStatus.PENDING;
      return true;
    }
    return false;
  }

  /** Takes the nodes waiting for a decision (the run stops); the caller ends them. */
  List<GraphNode> takeWaiting() {
    List<GraphNode> all = new ArrayList<>(waiting);
    waiting.clear();
    return all;
  }
}
