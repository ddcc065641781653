package dev.orchestra.store;

import dev.orchestra.state.RunPlan;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run was started with. Stored when the run is created and never changed.
 *
 * @param id the run id, e.g. {@code 20261123-221530-3fa2} (see {@link RunIds})
 * @param workflow the workflow's {@code name}
 * @param workflowFile the file the workflow was read from, as given; may be {@code null}
 * @param workflowText the workflow file's exact text, so that a resume runs the same workflow
 * @param inputs the run's inputs (never secrets: credentials are not inputs)
 * @param started when the run was created
 * @param plan what views of the run take from its workflow, computed from the parsed workflow when
 *     the run started; {@code null} in records of runs started before plans were recorded, whose
 *     readers parse {@code workflowText} instead
 */
public record RunInfo(
    String id,
    String workflow,
    String workflowFile,
    String workflowText,
    Map<String, String> inputs,
    Instant started,
    RunPlan plan) {
  public RunInfo {
    inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  /** A run without a recorded plan, as runs started before plans were recorded are. */
  public RunInfo(
      String id,
      String workflow,
      String workflowFile,
      String workflowText,
      Map<String, String> inputs,
      Instant started) {
    this(id, workflow, workflowFile, workflowText, inputs, started, null);
  }

  /** This run's record with {@code plan} as its plan. */
  public RunInfo withPlan(RunPlan plan) {
    return new RunInfo(id, workflow, workflowFile, workflowText, inputs, started, plan);
  }
}
