package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops one running node from other threads (cancel, run timeout, budget). Every process the node
 * starts, for its agent or its checks, goes through {@link #track(Executor)}, so that {@link #stop}
 * reaches all of them; waits between attempts use {@link #await(long)} and end early on stop.
 *
 * <p>Stopping never interrupts the node's thread: an interrupt would close the file channels the
 * thread happens to be writing through.
 */
final class NodeControl {
  private final java.util.concurrent.Executor killers;
  private final List<Execution> executions = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private NodeStatus status;
  private String reason;

  NodeControl(java.util.concurrent.Executor killers) {
    this.killers = killers;
  }

  /** Stops the node; the first request wins. Kills its processes without waiting for them. */
  void stop(NodeStatus status, String reason) {
    List<Execution> toKill;
    synchronized (this) {
      if (this.status != null) {
        return;
      }
      this.status = status;
      this.reason = reason;
      toKill = new ArrayList<>(executions);
    }
    stopped.countDown();
    // Kills run in parallel: each may take up to 5 s for a process that ignores SIGTERM.
    for (Execution e : toKill) {
      killers.execute(e::kill);
    }
  }

  synchronized boolean isStopped() {
    return status != null;
  }

  synchronized NodeStatus status() {
    return status;
  }

  synchronized String reason() {
    return reason;
  }

  /**
   * Waits {@code millis}.
   *
   * @return {@code true} when the wait ran out, {@code false} when the node was stopped meanwhile
   */
  boolean await(long millis) {
    try {
      return !stopped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An executor whose executions this control kills on stop. */
  Executor track(Executor delegate) {
    return (spec, listener) -> {
      Execution execution = delegate.start(spec, listener);
      boolean alreadyStopped;
      synchronized (this) {
        alreadyStopped = status != null;
        executions.add(execution);
      }
      if (alreadyStopped) {
        killers.execute(execution::kill);
      }
      return execution;
    };
  }

  /** Forgets an execution that has ended, so that long retry loops do not accumulate them. */
  synchronized void ended(Execution execution) {
    executions.remove(execution);
  }
}
