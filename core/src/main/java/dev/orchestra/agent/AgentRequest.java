package dev.orchestra.agent;

import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * One attempt of one node, as handed to an {@link Agent}.
 *
 * @param runId the run's id
 * @param nodeId the node's id (composed inner nodes as {@code outer/inner})
 * @param attempt 1 for the first try
 * @param node the node with the workflow's defaults applied
 * @param prompt the full rendered prompt, including context and, after a failed attempt, the
 *     feedback
 * @param feedback the failure of the previous attempt, or {@code null} on the first
 * @param resumeSession the agent session of the previous attempt to resume, or {@code null}
 * @param workspace the directory the agent works in
 * @param attemptDir a private directory for this attempt's files (prompt, feedback, output), empty
 *     at first; its parent holds the node's home, kept across its attempts. The engine gives one
 *     outside the run's records and copies its files into them, masked, when the attempt ends, so
 *     that what an agent writes never reaches the records unmasked
 * @param env environment for the agent, credentials included; never log it
 */
public record AgentRequest(
    String runId,
    String nodeId,
    int attempt,
    NodeSpec node,
    String prompt,
    String feedback,
    String resumeSession,
    Path workspace,
    Path attemptDir,
    Map<String, String> env) {
  public AgentRequest {
    env = Map.copyOf(env);
  }
}
