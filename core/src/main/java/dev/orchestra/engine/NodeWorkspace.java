package dev.orchestra.engine;

import dev.orchestra.workflow.WorkspaceSpec;
import java.util.List;

/**
 * What a {@link WorkspaceProvider} is told about a node whose workspace it prepares.
 *
 * @param runId the run
 * @param nodeId the node ({@code outer/inner} inside composed workflows)
 * @param spec the run's workspace, with {@code ref} already rendered
 * @param upstream the succeeded nodes whose work this node builds on, in the order of its {@code
 *     needs}; a composed node stands for its inner sinks, and the first nodes of a composed
 *     workflow build on what their composed node needs
 * @param agentResolvesConflicts {@code on_conflict: agent}: a conflict between upstream branches is
 *     handed to the node's agent instead of ending the node
 * @param planned the node runs in a process of its own for a pipeline ({@code node exec}), whose
 *     other nodes may run in other workspaces: the provider takes the upstream work from where
 *     those processes left it in the run's records, and leaves this node's there (the git provider:
 *     a bundle per node branch, docs/pipeline-plan.md)
 */
public record NodeWorkspace(
    String runId,
    String nodeId,
    WorkspaceSpec spec,
    List<String> upstream,
    boolean agentResolvesConflicts,
    boolean planned) {
  public NodeWorkspace {
    upstream = List.copyOf(upstream);
  }

  /** A node of a run that one process runs whole. */
  public NodeWorkspace(
      String runId,
      String nodeId,
      WorkspaceSpec spec,
      List<String> upstream,
      boolean agentResolvesConflicts) {
    this(runId, nodeId, spec, upstream, agentResolvesConflicts, false);
  }
}
