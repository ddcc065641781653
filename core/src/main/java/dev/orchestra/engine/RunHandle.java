package dev.orchestra.engine;

import dev.orchestra.store.Decision;
import dev.orchestra.store.RunResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A run in progress, as returned by {@link Engine#start} and {@link Engine#resume}. Thread-safe.
 * The run owns its processes: they end when the run ends, or within about 5 seconds of {@link
 * #cancel()}.
 */
public final class RunHandle {
  private final Coordinator coordinator;
  private final EventLog log;

  RunHandle(Coordinator coordinator, EventLog log) {
    this.coordinator = coordinator;
    this.log = log;
  }

  /** The run's id, e.g. {@code 20261123-221530-3fa2}. */
  public String runId() {
    return coordinator.runId();
  }

  /**
   * Adds a listener for the events from now on. To see every event from {@code run_started} on,
   * pass the listener in {@link RunOptions#listeners()} instead.
   */
  public void subscribe(EventListener listener) {
    log.subscribe(listener);
  }

  /**
   * Cancels the run: running nodes are killed (their whole process trees), they and the nodes not
   * yet started end {@code cancelled}, the run ends {@code cancelled} and its records are flushed.
   * Returns at once; {@link #await()} the result. Idempotent, and safe to call from a JVM shutdown
   * hook.
   */
  public void cancel() {
    coordinator.stop(StopRequest.cancel());
  }

  /**
   * Why the run's records could not be written (a full disk), when that stopped it: the run then
   * ended {@code cancelled}, its records end with their last whole event (no result), and it can be
   * resumed once there is room. Empty otherwise.
   */
  public Optional<String> recordsFailure() {
    return coordinator.run().recordsFailure().map(RuntimeException::getMessage);
  }

  /**
   * Cancels as {@link #cancel()} does, recording {@code reason} (e.g. {@code cancelled by SIGTERM})
   * on the run and on every node it ends.
   */
  public void cancel(String reason) {
    coordinator.stop(StopRequest.cancel(reason));
  }

  /**
   * Approves the approval gate of {@code node} (its id as events name it) as {@code by}: a node
   * waiting at its gate queues for a slot and runs; one whose needs have not all succeeded yet goes
   * through its gate when they have. The decision is recorded in the run's store before it is taken
   * up, so it outlives this process. Blocks for the store's write.
   *
   * @param by who approves: the front end's user (the server's token owner, Jenkins' submitter)
   * @param comment what they said, or {@code null}
   * @return {@link DecisionOutcome.Recorded}; {@link DecisionOutcome.Unchanged} when the node was
   *     approved already; {@link DecisionOutcome.Refused} naming why when the run has no such node,
   *     the node has no gate, {@code by} is not one of its approvers, or it was rejected already
   */
  public DecisionOutcome approve(String node, String by, String comment) {
    return coordinator.decide(
        node, Decision.approve(by, comment, coordinator.run().services().clock().instant()));
  }

  /**
   * Rejects the approval gate of {@code node} as {@code by}: the node ends {@code failed} with the
   * reason {@code rejected by BY: COMMENT}, and the nodes that need it are skipped as after any
   * failure. Otherwise as {@link #approve}.
   */
  public DecisionOutcome reject(String node, String by, String comment) {
    return coordinator.decide(
        node, Decision.reject(by, comment, coordinator.run().services().clock().instant()));
  }

  /**
   * Blocks until the run has ended, its records are written and every listener has seen {@code
   * run_finished}.
   */
  public RunResult await() throws InterruptedException {
    try {
      return coordinator.result().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run's result never fails", e);
    }
  }

  /** Like {@link #await()}, waiting at most {@code timeout}; empty when the run has not ended. */
  public Optional<RunResult> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(coordinator.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run's result never fails", e);
    }
  }

  /** Completes with the result when {@link #await()} would return. */
  public CompletableFuture<RunResult> completion() {
    return coordinator.result().copy();
  }
}
