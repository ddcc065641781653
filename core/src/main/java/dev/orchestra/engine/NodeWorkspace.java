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
 */
public record NodeWorkspace(
    String runId,
    String nodeId,
    WorkspaceSpec spec,
    List<String> upstream,
    boolean agentResolvesConflicts) {
  public NodeWorkspace {
    upstream = List.copyOf(upstream);
  }
}
