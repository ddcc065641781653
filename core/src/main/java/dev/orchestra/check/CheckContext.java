package dev.orchestra.check;

import dev.orchestra.exec.Executor;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a check may look at.
 *
 * @param runId the run's id
 * @param nodeId the node being checked
 * @param attempt the attempt being checked
 * @param workspace the node's workspace
 * @param output the agent's final message
 * @param executor where {@code run} checks launch their command
 * @param env environment for check commands
 */
public record CheckContext(
    String runId,
    String nodeId,
    int attempt,
    Path workspace,
    String output,
    Executor executor,
    Map<String, String> env) {
  public CheckContext {
    env = Map.copyOf(env);
  }
}
