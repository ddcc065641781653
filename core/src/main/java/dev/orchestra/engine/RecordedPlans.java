package dev.orchestra.engine;

import dev.orchestra.state.RunPlan;
import dev.orchestra.store.RunInfo;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;

/**
 * A recorded run's {@link RunPlan}, the one way the front ends (the CLI's {@code runs show} and
 * {@code runs logs}, the server's run snapshots) get the nodes a run planned. Stateless and
 * thread-safe.
 */
public final class RecordedPlans {
  private static final WorkflowParser PARSER = WorkflowParser.create();

  private RecordedPlans() {}

  /**
   * The plan the run recorded when it started (for a run found in a store, read from there on its
   * first use: {@link dev.orchestra.store.StoredPlan}), or, for a run recorded before plans were,
   * the plan of its recorded workflow text parsed again (best effort: only its shape is wanted,
   * nothing is validated, run or read from disk); {@link RunPlan#EMPTY} when that text no longer
   * parses, and the events still name the nodes that did something.
   *
   * @throws dev.orchestra.OrchestraException when the run's recorded plan cannot be read
   */
  public static RunPlan of(RunInfo info) {
    if (info.plan() != null) {
      return info.plan();
    }
    Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
    try {
      Workflow w = PARSER.parse(file, info.workflowText()).workflow();
      return w == null ? RunPlan.EMPTY : RunPlan.of(w);
    } catch (RuntimeException e) {
      return RunPlan.EMPTY;
    }
  }
}
