package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a run, in two halves. {@link #of} takes, under the coordinator's lock, a snapshot of
 * every node's result once the last node has ended; {@link #finish} then does the slow work outside
 * the lock: the workspace provider's hand-over (merging and pushing git branches, which can take
 * minutes), {@code run_finished}, the result written and made durable, the records closed, and last
 * the run's result future completed. Nothing that waits for the coordinator's lock (a Ctrl-C's
 * cancel) waits for a push.
 *
 * <p>{@link #finish} is called once, by the thread that took the snapshot; nothing in the run
 * changes after the snapshot, since every node has ended.
 */
final class RunEnd {
  private static final Logger LOG = LoggerFactory.getLogger(RunEnd.class);

  private final RunContext run;
  private final CompletableFuture<RunResult> result;
  private final Map<String, NodeResult> nodes;
  private final List<String> sinks;
  private final Usage total;
  private final RunStatus status;
  private final String reason;
  private final boolean wholeRun;

  private RunEnd(
      RunContext run,
      CompletableFuture<RunResult> result,
      Map<String, NodeResult> nodes,
      List<String> sinks,
      Usage total,
      RunStatus status,
      String reason,
      boolean wholeRun) {
    this.run = run;
    this.result = result;
    this.nodes = nodes;
    this.sinks = sinks;
    this.total = total;
    this.status = status;
    this.reason = reason;
    this.wholeRun = wholeRun;
  }

  /**
   * The snapshot of one node of a planned run ({@link Session#node}) once it and its inner nodes
   * have ended. Its {@link #finish} records no end of the run: it closes the node's records and
   * completes the result with the node's part (the node and its inner nodes), whose status is the
   * node's ({@code succeeded}, {@code cancelled}, else {@code failed}). Call under the
   * coordinator's lock.
   */
  static RunEnd ofNode(
      RunContext run, StopRequest stop, CompletableFuture<RunResult> result, GraphNode node) {
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    nodes.put(node.id, resultOf(node));
    for (GraphNode d : node.descendants) {
      nodes.put(d.id, resultOf(d));
    }
    RunStatus status =
        switch (node.status) {
          case SUCCEEDED -> RunStatus.SUCCEEDED;
          case CANCELLED -> RunStatus.CANCELLED;
          default -> RunStatus.FAILED;
        };
    String reason = node.status == NodeStatus.SUCCEEDED ? null : node.reason;
    return new RunEnd(run, result, nodes, List.of(), node.usage, status, reason, false);
  }

  /** {@code n}'s part of a result, from its state. */
  static NodeResult resultOf(GraphNode n) {
    return new NodeResult(
        n.id,
        n.status,
        n.attempt,
        n.durationMs,
        n.usage,
        n.output,
        n.status == NodeStatus.SUCCEEDED ? null : n.reason,
        n.outputs);
  }

  /**
   * The snapshot of a run whose nodes have all ended. Call under the coordinator's lock.
   *
   * @param stop why the run stopped early, or {@code null}
   * @param result completed by {@link #finish}
   */
  static RunEnd of(RunContext run, StopRequest stop, CompletableFuture<RunResult> result) {
    Usage total = Usage.ZERO;
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    for (GraphNode n : run.graph().nodes) {
      if (!n.isComposite()) {
        total = total.plus(n.usage);
      }
      if (n.status != NodeStatus.SUCCEEDED && n.status != NodeStatus.SKIPPED && !n.isComposite()) {
        failed.add(n.id);
      }
      nodes.put(n.id, resultOf(n));
    }
    boolean allSucceeded =
        nodes.values().stream().allMatch(r -> r.status() == NodeStatus.SUCCEEDED);
    RunStatus status;
    String reason;
    if (stop != null) {
      status = stop.runStatus();
      reason = stop.reason();
    } else if (allSucceeded) {
      status = RunStatus.SUCCEEDED;
      reason = null;
    } else {
      status = RunStatus.FAILED;
      reason =
          failed.isEmpty()
              ? "nodes were skipped"
              : "nodes did not succeed: " + String.join(", ", failed);
    }
    return new RunEnd(run, result, nodes, Upstream.sinks(run.graph()), total, status, reason, true);
  }

  /** Hands over the run's work, records its end and completes its result. Not under the lock. */
  // The result completes however the delivery of events ends; nothing waits on the returned stage.
  @SuppressWarnings("FutureReturnValueIgnored")
  void finish() {
    if (!wholeRun) {
      finishNode();
      return;
    }
    RunWorkspace handover = handOver();
    Map<String, NodeResult> results = new LinkedHashMap<>(nodes);
    handover.nodes().forEach((id, b) -> results.computeIfPresent(id, (k, r) -> r.withBranch(b)));
    RunStatus status = this.status;
    String reason = this.reason;
    if (handover.failure() != null && status == RunStatus.SUCCEEDED) {
      status = RunStatus.FAILED;
      reason = handover.failure();
    }
    RuntimeException storeFailure = run.recordsFailure().orElse(null);
    if (storeFailure != null && status != RunStatus.CANCELLED) {
      // Whatever the nodes did, the records end before it: the run can only be resumed.
      status = RunStatus.CANCELLED;
      reason = "the run's records could not be written: " + storeFailure.getMessage();
    }
    run.emit(new Event.RunFinished(status, total, reason));
    LOG.info("run {} {}{}", run.runId(), status.wireName(), reason == null ? "" : ": " + reason);
    RunResult runResult = result(status, reason, results, handover.run(), handover.checkout());
    try {
      run.recorder().finish(runResult);
    } catch (RuntimeException e) {
      // The records end with their last whole event and the run can be resumed; the run's result
      // (recordsFailure) says so, once, to whoever shows it.
      LOG.debug("run {}: no result written: {}", run.runId(), e.getMessage());
    } finally {
      run.recorder().close();
      run.services().scratch().remove(run.runId());
    }
    run.log().close().whenComplete((v, e) -> result.complete(runResult));
  }

  /** The end of a planned node's process: its records closed, its part of the result. */
  // As in finish(): nothing waits on the returned stage.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void finishNode() {
    RunStatus status = this.status;
    String reason = this.reason;
    RuntimeException storeFailure = run.recordsFailure().orElse(null);
    if (storeFailure != null) {
      status = RunStatus.FAILED;
      reason = "the node's records could not be written: " + storeFailure.getMessage();
    }
    RunResult part = result(status, reason, nodes, null, null);
    try {
      run.recorder().close();
    } catch (OrchestraException e) {
      LOG.error("run {}: cannot close the node's records: {}", run.runId(), e.getMessage());
    }
    run.log().close().whenComplete((v, e) -> result.complete(part));
  }

  private RunResult result(
      RunStatus status,
      String reason,
      Map<String, NodeResult> results,
      dev.orchestra.store.Branch branch,
      String checkout) {
    return new RunResult(
        run.runId(),
        run.graph().root.workflow.name(),
        status,
        reason,
        run.info().started(),
        run.services().clock().instant(),
        total,
        results,
        branch,
        checkout);
  }

  /** The workspace provider's end of the run: the run branch, pushes, cleanup. */
  private RunWorkspace handOver() {
    try {
      return run.services().workspaces().finishRun(run.runId(), run.workspaceSpec(), sinks);
    } catch (RuntimeException e) {
      LOG.warn("run {}: handing over its workspace failed", run.runId(), e);
      return new RunWorkspace(
          Map.of(), null, null, "handing over the workspace failed: " + e.getMessage());
    }
  }
}
