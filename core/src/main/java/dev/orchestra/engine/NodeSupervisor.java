package dev.orchestra.engine;

import dev.orchestra.event.Usage;
import java.util.Optional;

/**
 * What a node's runner and its steps report to while the node runs, and the run it belongs to: the
 * node's start and end, its rate-limit waits, and its usage against the budgets. The {@link
 * Coordinator} is the supervisor of a run of the whole graph; the node's steps know only this, so
 * that a run of one planned node can supervise it otherwise.
 *
 * <p>Implementations are thread-safe: node threads and the executors' output reader threads call
 * them, and no method blocks for long (none waits for a process, the network or a disk flush).
 */
interface NodeSupervisor {

  /** The run the node belongs to. */
  RunContext run();

  /** The node's attempt has started: ends the hold {@link #holdBack} put on its agent, if any. */
  void release(GraphNode n);

  /** {@code n} waits {@code delayMs} for its provider's rate limit to reset. */
  void holdBack(GraphNode n, long delayMs);

  /**
   * The usage of {@code n}'s running attempt so far.
   *
   * @return the budget it exceeds (the node's or the run's): the caller stops the node
   */
  Optional<Overrun> attemptUsage(GraphNode n, Usage soFar);

  /** Adds a finished process's usage to {@code n}'s; answers as {@link #attemptUsage}. */
  Optional<Overrun> commitUsage(GraphNode n, Usage spent);

  /** {@code n} has ended with {@code outcome} (masked); called once per launch of the node. */
  void nodeFinished(GraphNode n, NodeOutcome outcome);
}
