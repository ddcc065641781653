package dev.orchestra.check;

import dev.orchestra.exec.Executor;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

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
 * @param diff the changes made in the workspace since the node started, as a unified diff (empty
 *     when the workspace cannot tell, e.g. a shared directory outside git); computed on demand
 * @param agents runs a second agent for the {@code critic} check, or {@code null} where none can
 *     run
 * @param files the path rule of the workspace: the files checks match and read must pass it
 *     (docs/security.md); {@code null} for the untrusted rule on {@code workspace}
 */
public record CheckContext(
    String runId,
    String nodeId,
    int attempt,
    Path workspace,
    String output,
    Executor executor,
    Map<String, String> env,
    Supplier<String> diff,
    AgentCall agents,
    WorkspacePaths files) {
  public CheckContext {
    env = Map.copyOf(env);
    diff = diff == null ? () -> "" : diff;
    files =
        files != null
            ? files
            : WorkspacePaths.workspace(
                workspace, Trust.UNTRUSTED, WorkspacePaths.DEFAULT_READ_TIMEOUT);
  }

  /** A context with the untrusted path rule on {@code workspace}. */
  public CheckContext(
      String runId,
      String nodeId,
      int attempt,
      Path workspace,
      String output,
      Executor executor,
      Map<String, String> env,
      Supplier<String> diff,
      AgentCall agents) {
    this(runId, nodeId, attempt, workspace, output, executor, env, diff, agents, null);
  }

  /** A context without a diff. */
  public CheckContext(
      String runId,
      String nodeId,
      int attempt,
      Path workspace,
      String output,
      Executor executor,
      Map<String, String> env) {
    this(runId, nodeId, attempt, workspace, output, executor, env, null, null, null);
  }

  /** A context without an agent to call. */
  public CheckContext(
      String runId,
      String nodeId,
      int attempt,
      Path workspace,
      String output,
      Executor executor,
      Map<String, String> env,
      Supplier<String> diff) {
    this(runId, nodeId, attempt, workspace, output, executor, env, diff, null, null);
  }
}
