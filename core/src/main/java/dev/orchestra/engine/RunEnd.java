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

  private RunEnd(
      RunContext run,
      CompletableFuture<RunResult> result,
      Map<String, NodeResult> nodes,
      List<String> sinks,
      Usage total,
      RunStatus status,
      String reason) {
    this.run = run;
    this.result = result;
    this.nodes = nodes;
    this.sinks = sinks;
    this.total = total;
    this.status = status;
    this.reason = reason;
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
      nodes.put(
          n.id,
          new NodeResult(
              n.id,
              n.status,
              n.attempt,
              n.durationMs,
              n.usage,
              n.output,
              n.status == NodeStatus.SUCCEEDED ? null : n.reason,
              n.outputs));
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
    return new RunEnd(run, result, nodes, Upstream.sinks(run.graph()), total, status, reason);
  }

  /** Hands over the run's work, records its end and completes its result. Not under the lock. */
  // The result completes however the delivery of events ends; nothing waits on the returned stage.
  @SuppressWarnings("FutureReturnValueIgnored")
  void finish() {
    RunWorkspace handover = handOver();
    Map<String, NodeResult> results = new LinkedHashMap<>(nodes);
    handover.nodes().forEach((id, b) -> results.computeIfPresent(id, (k, r) -> r.withBranch(b)));
    RunStatus status = this.status;
    String reason = this.reason;
    if (handover.failure() != null && status == RunStatus.SUCCEEDED) {
      status = RunStatus.FAILED;
      reason = handover.failure();
    }
    RuntimeException storeFailure = run.log().storeFailure();
    if (storeFailure != null && status == RunStatus.SUCCEEDED) {
      status = RunStatus.FAILED;
      reason = "the run's records could not be written: " + storeFailure.getMessage();
    }
    run.emit(new Event.RunFinished(status, total, reason));
    LOG.info("run {} {}{}", run.runId(), status.wireName(), reason == null ? "" : ": " + reason);
    RunResult runResult =
        new RunResult(
            run.runId(),
            run.graph().root.workflow.name(),
            status,
            reason,
            run.info().started(),
            run.services().clock().instant(),
            total,
            results,
            handover.run(),
            handover.checkout());
    try {
      run.recorder().finish(runResult);
    } catch (OrchestraException e) {
      LOG.error("run {}: cannot write its result: {}", run.runId(), e.getMessage());
    } finally {
      run.recorder().close();
      run.services().scratch().remove(run.runId());
    }
    run.log().close().whenComplete((v, e) -> result.complete(runResult));
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
