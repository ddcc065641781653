package dev.orchestra.engine;

import dev.orchestra.event.Usage;
import java.time.Duration;

/**
 * What one {@link Coordinator} runs: a whole run ({@code orchestra run}, {@code resume}: it
 * announces the run with {@code run_started}, keeps its timeout and ends it), or one top-level node
 * of a planned run with its inner nodes ({@code node exec}: the run's other nodes are as the
 * records say and are not run, what the run spent elsewhere counts against its budget, what is left
 * of its timeout applies, and the end is the node's, not the run's).
 *
 * @param resumed whether a whole run continues an earlier session
 * @param node the planned node this process runs, or {@code null} for a whole run
 * @param spent what the run spent outside this coordinator
 * @param timeout the run's time left from now, or {@code null} for no limit
 */
record Session(boolean resumed, GraphNode node, Usage spent, Duration timeout) {

  /** A whole run, under its workflow's {@code limits.timeout}. */
  static Session run(boolean resumed, Duration timeout) {
    return new Session(resumed, null, Usage.ZERO, timeout);
  }

  /** One node of a planned run. */
  static Session node(GraphNode node, Usage spent, Duration timeoutLeft) {
    return new Session(false, node, spent, timeoutLeft);
  }

  /** Whether this coordinator runs a whole run. */
  boolean wholeRun() {
    return node == null;
  }
}
