package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.parse.Suggestions;
import java.util.Collection;
import java.util.List;

/** Finds a run or a node by what the user typed, with a did-you-mean when there is none. */
final class RunLookup {
  private RunLookup() {}

  /**
   * The run's metadata.
   *
   * @throws OrchestraException naming the id, the closest run id and how to list runs
   */
  static RunInfo info(FileRunStore store, String runId) {
    if (!dev.orchestra.store.RunIds.isValid(runId)) {
      throw new OrchestraException(
          "'"
              + runId
              + "' is not a run id (like 20261123-221530-3fa2); 'orchestra runs' lists them");
    }
    return store.find(runId).orElseThrow(() -> unknownRun(store, runId));
  }

  private static OrchestraException unknownRun(FileRunStore store, String runId) {
    List<String> ids = store.list().stream().map(RunSummary::id).toList();
    String hint =
        Suggestions.closest(runId, ids).map(s -> "; did you mean '" + s + "'?").orElse("");
    return new OrchestraException(
        "no run '"
            + runId
            + "' in "
            + store.directory()
            + hint
            + (hint.isEmpty() ? "; " : " ")
            + "'orchestra runs' lists the runs (use --runs-dir or ORCHESTRA_RUNS for another"
            + " directory)");
  }

  /** Whether a process holds run {@code runId}'s lock now (it runs it). */
  static boolean active(FileRunStore store, String runId) {
    return store.list().stream().anyMatch(r -> r.id().equals(runId) && r.active());
  }

  /**
   * Checks that {@code node} is one of {@code nodes}.
   *
   * @throws OrchestraException naming the node, the closest id and the run's nodes
   */
  static void node(RunStore store, String runId, String node, Collection<String> nodes) {
    if (nodes.contains(node)) {
      return;
    }
    String hint =
        Suggestions.closest(node, nodes).map(s -> "; did you mean '" + s + "'?").orElse("");
    throw new OrchestraException(
        "run " + runId + " has no node '" + node + "'" + hint + " (its nodes: " + nodes + ")");
  }
}
