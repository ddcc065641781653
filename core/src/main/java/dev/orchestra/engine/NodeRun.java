package dev.orchestra.engine;

import dev.orchestra.store.NodeResult;
import java.util.List;

/**
 * What became of a request to run or skip one node of a planned run ({@link PlannedRuns#runNode},
 * {@link PlannedRuns#skipNode}).
 */
public sealed interface NodeRun {

  /**
   * The node runs in this process: {@link RunHandle#await()} answers a result whose {@code nodes}
   * hold the node's (and its inner nodes') results and whose status is the node's.
   */
  record Started(RunHandle handle) implements NodeRun {}

  /**
   * Nothing ran: the node had succeeded already (a retried stage, a resumed run), or its end was
   * recorded now without running it: {@code skipped} (an upstream did not pass, or the pipeline
   * skipped it) or {@code budget_exceeded} (the run had spent its budget already).
   */
  record Ended(NodeResult result) implements NodeRun {}

  /** The records hold no end of these needs of the node: their records must be brought first. */
  record MissingUpstream(List<String> nodes) implements NodeRun {
    public MissingUpstream {
      nodes = List.copyOf(nodes);
    }
  }

  /** The node has an approval gate and no decision is recorded for it yet. */
  record AwaitingApproval(String node) implements NodeRun {}

  /** The request cannot be met: no such node, or it finished already; {@code reason} says. */
  record Refused(String reason) implements NodeRun {}
}
