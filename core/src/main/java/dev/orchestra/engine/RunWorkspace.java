package dev.orchestra.engine;

import dev.orchestra.store.Branch;
import java.util.Map;

/**
 * What a {@link WorkspaceProvider} made of a whole run when it ended.
 *
 * @param nodes each node's branch, by node id (nodes without a branch are absent)
 * @param run the run branch (the merge of the succeeded sinks), or {@code null}
 * @param checkout a shell command that checks out the run's result, or {@code null}
 * @param failure why handing over the run's work failed (e.g. a rejected push), or {@code null};
 *     the run then fails with it as its reason
 */
public record RunWorkspace(Map<String, Branch> nodes, Branch run, String checkout, String failure) {
  /** No version control: nothing to hand over. */
  public static final RunWorkspace NONE = new RunWorkspace(Map.of(), null, null, null);

  public RunWorkspace {
    nodes = Map.copyOf(nodes);
  }
}
