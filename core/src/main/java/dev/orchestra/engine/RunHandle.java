package dev.orchestra.engine;

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
