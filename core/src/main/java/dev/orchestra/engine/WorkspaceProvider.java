package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Path;

/**
 * Gives each node the directory it works in. The default ({@link SharedWorkspaces}) hands every
 * node the same directory; a git implementation gives each node its own worktree and branch ({@code
 * isolation: branch}) and merges or keeps it in {@link #finish}.
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
   * The changes node {@code nodeId} made in {@code workspace} since it started, as a unified diff,
   * for the critic check and for people; the default (no version control) answers an empty string.
   */
  default String diff(String runId, String nodeId, Path workspace) {
    return "";
  }

  /** Called once after the node reached {@code status}; the default does nothing. */
  default void finish(String runId, String nodeId, Path workspace, NodeStatus status) {}
}
