package dev.orchestra.store;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's part of a run's result.
 *
 * @param node the node id ({@code outer/inner} for nodes of composed workflows)
 * @param status its final status
 * @param attempts the number of its last attempt (0 when it never started)
 * @param durationMs wall time from its start to its end, in the session that finished it
 * @param usage tokens and cost of all its attempts
 * @param output its final output (the agent's final message); {@code null} when none
 * @param reason why it did not succeed; {@code null} when it did
 * @param outputs its named outputs
 * @param branch its git branch and head ({@code isolation: branch}); {@code null} otherwise
 */
public record NodeResult(
    String node,
    NodeStatus status,
    int attempts,
    long durationMs,
    Usage usage,
    String output,
    String reason,
    Map<String, String> outputs,
    Branch branch) {
  public NodeResult {
    usage = usage == null ? Usage.ZERO : usage;
    outputs =
        outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** A result without a branch. */
  public NodeResult(
      String node,
      NodeStatus status,
      int attempts,
      long durationMs,
      Usage usage,
      String output,
      String reason,
      Map<String, String> outputs) {
    this(node, status, attempts, durationMs, usage, output, reason, outputs, null);
  }

  /** This result with {@code branch}. */
  public NodeResult withBranch(Branch branch) {
    return new NodeResult(
        node, status, attempts, durationMs, usage, output, reason, outputs, branch);
  }
}
