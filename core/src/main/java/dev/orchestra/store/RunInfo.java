package dev.orchestra.store;

import dev.orchestra.state.RunPlan;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a run was started with. Stored when the run is created and never changed.
 *
 * @param id the run id, e.g. {@code 20261123-221530-3fa2} (see {@link RunIds})
 * @param workflow the workflow's {@code name}
 * @param workflowFile the file the workflow was read from, as given; may be {@code null}
 * @param workflowText the workflow file's exact text, so that a resume runs the same workflow
 * @param inputs the run's inputs (never secrets: credentials are not inputs)
 * @param started when the run was created
 * @param storedPlan what views of the run take from its workflow, computed from the parsed workflow
 *     when the run started: in memory for a run being created, read from the store on first use for
 *     a run found ({@link StoredPlan}); {@link StoredPlan#ABSENT} in records of runs started before
 *     plans were recorded, whose readers parse {@code workflowText} instead
 */
public record RunInfo(
    String id,
    String workflow,
    String workflowFile,
    String workflowText,
    Map<String, String> inputs,
    Instant started,
    StoredPlan storedPlan) {
  public RunInfo {
    inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    Objects.requireNonNull(storedPlan, "storedPlan");
  }

  /** A run without a recorded plan, as runs started before plans were recorded are. */
  public RunInfo(
      String id,
      String workflow,
      String workflowFile,
      String workflowText,
      Map<String, String> inputs,
      Instant started) {
    this(id, workflow, workflowFile, workflowText, inputs, started, StoredPlan.ABSENT);
  }

  /**
   * The plan the run recorded when it started, read from the store on the first call for a run
   * found ({@link StoredPlan#get}); {@code null} when the run recorded none.
   *
   * @throws dev.orchestra.OrchestraException when the plan is on record but cannot be read
   */
  public RunPlan plan() {
    return storedPlan.get().orElse(null);
  }

  /** This run's record with {@code plan} (in memory; {@code null} for none) as its plan. */
  public RunInfo withPlan(RunPlan plan) {
    return withStoredPlan(StoredPlan.of(plan));
  }

  /** This run's record with {@code plan} as its plan. */
  public RunInfo withStoredPlan(StoredPlan plan) {
    return new RunInfo(id, workflow, workflowFile, workflowText, inputs, started, plan);
  }
}
