package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import java.util.Map;

/**
 * How a node's attempts ended, as its runner reports it to the coordinator.
 *
 * @param status the final status
 * @param reason why it did not succeed, or {@code null}
 * @param output the final output (the last attempt's), or {@code null}
 * @param outputs named outputs (only when succeeded)
 * @param attempt the number of the last attempt started (0 when none started)
 */
record NodeOutcome(
    NodeStatus status, String reason, String output, Map<String, String> outputs, int attempt) {
  NodeOutcome {
    outputs = outputs == null ? Map.of() : outputs;
  }

  static NodeOutcome error(String reason, int attempt) {
    return new NodeOutcome(NodeStatus.ERROR, reason, null, Map.of(), attempt);
  }
}
