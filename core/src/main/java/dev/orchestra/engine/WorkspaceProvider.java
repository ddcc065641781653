package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Gives each node the directory it works in. The default ({@link SharedWorkspaces}) hands every
 * node the same directory; a git implementation gives each node its own worktree and branch ({@code
 * isolation: branch}) and commits its work in {@link #finish(NodeWorkspace, Path, NodeStatus,
 * String)}.
 *
 * <p>The engine calls {@link #prepare(NodeWorkspace)} and {@link #finish(NodeWorkspace, Path,
 * NodeStatus, String)} on the node's thread, and {@link #finishRun} once at the end of the run,
 * after every node finished; the simpler overloads are for providers that need less.
 *
 * <p>Implementations are thread-safe: nodes start and finish concurrently.
 */
public interface WorkspaceProvider {

  /**
   * The directory node {@code nodeId} of run {@code runId} works in; called on the node's thread
   * before its first attempt.
   *
   * @throws dev.orchestra.OrchestraException when the workspace cannot be prepared (the node ends
   *     with status {@code error} and the message as its reason)
   */
  Path prepare(String runId, String nodeId, WorkspaceSpec spec);

  /**
   * Why the workspace {@code spec} describes cannot be used (its {@code repo} is missing or does
   * not answer, its {@code ref} does not exist), found without changing anything, with the remedy;
   * empty when nothing is wrong. For the pre-flight check before a run; may block on the network
   * for a bounded time. The default finds nothing wrong.
   *
   * @param spec the run's workspace, {@code ref} rendered
   */
  default Optional<String> unavailable(WorkspaceSpec spec) {
    return Optional.empty();
  }

  /**
   * Prepares the directory of the node {@code node} describes; the default answers {@link
   * #prepare(String, String, WorkspaceSpec)} with no conflict.
   *
   * @throws dev.orchestra.OrchestraException when the workspace cannot be prepared, e.g. {@code
   *     merge_conflict: PATHS between A and B} (the node ends with status {@code error} and the
   *     message as its reason)
   */
  default PreparedWorkspace prepare(NodeWorkspace node) {
    return new PreparedWorkspace(prepare(node.runId(), node.nodeId(), node.spec()), null);
  }

  /**
   * The changes node {@code nodeId} made in {@code workspace} since it started, as a unified diff,
   * for the critic check and for people; the default (no version control) answers an empty string.
   */
  default String diff(String runId, String nodeId, Path workspace) {
    return "";
  }

  /** Called once after the node reached {@code status}; the default does nothing. */
  default void finish(String runId, String nodeId, Path workspace, NodeStatus status) {}

  /**
   * Called once after the node reached {@code status}, with its final (masked) output, e.g. to
   * commit its work; the default calls {@link #finish(String, String, Path, NodeStatus)}.
   */
  default void finish(NodeWorkspace node, Path workspace, NodeStatus status, String output) {
    finish(node.runId(), node.nodeId(), workspace, status);
  }

  /**
   * Called once when a run is planned for a pipeline that runs its nodes one per process, maybe in
   * other workspaces (docs/pipeline-plan.md), before any of them runs: e.g. to fix the commit every
   * node starts from, so that all workspaces agree on it. The default does nothing.
   *
   * @param spec the run's workspace, {@code ref} rendered
   * @throws dev.orchestra.OrchestraException when the workspace cannot be opened (the plan fails)
   */
  default void planRun(String runId, WorkspaceSpec spec) {}

  /**
   * Called once when the run ends, after all its nodes finished (also those of earlier sessions of
   * a resumed run), e.g. to merge the run branch, push and remove worktrees. Blocks the end of the
   * run. The default has nothing to hand over.
   *
   * @param spec the run's workspace, {@code ref} rendered
   * @param sinks the succeeded nodes at the ends of the graph, whose work is the run's result
   */
  default RunWorkspace finishRun(String runId, WorkspaceSpec spec, List<String> sinks) {
    return RunWorkspace.NONE;
  }
}
