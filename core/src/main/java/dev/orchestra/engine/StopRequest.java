package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;

/**
 * Why a run stops early and what that makes of its nodes.
 *
 * @param runStatus the run's final status
 * @param runningStatus the status of nodes that were running (they are killed)
 * @param pendingStatus the status of nodes that had not started
 * @param reason the reason recorded on the run and on every node it ends
 */
record StopRequest(
    RunStatus runStatus, NodeStatus runningStatus, NodeStatus pendingStatus, String reason) {

  static StopRequest cancel() {
    return cancel("run cancelled");
  }

  /** A cancel that gives its reason, e.g. {@code cancelled by SIGTERM}. */
  static StopRequest cancel(String reason) {
    return new StopRequest(RunStatus.CANCELLED, NodeStatus.CANCELLED, NodeStatus.CANCELLED, reason);
  }

  static StopRequest timeout(String limit) {
    // Nodes the limit cut short timed out; nodes it kept from starting were cancelled.
    String reason = "run timeout " + limit + " exceeded";
    return new StopRequest(RunStatus.FAILED, NodeStatus.TIMED_OUT, NodeStatus.CANCELLED, reason);
  }

  /**
   * The run's records cannot be written (a full disk): it stops as if cancelled, and can be resumed
   * once there is room, since its records end with their last whole event.
   */
  static StopRequest records(String failure) {
    return new StopRequest(
        RunStatus.CANCELLED,
        NodeStatus.CANCELLED,
        NodeStatus.CANCELLED,
        "the run's records could not be written: " + failure);
  }

  static StopRequest budget(String reason) {
    return new StopRequest(
        RunStatus.FAILED, NodeStatus.BUDGET_EXCEEDED, NodeStatus.SKIPPED, reason);
  }
}
