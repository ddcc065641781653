package dev.orchestra.store;

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
 */
public record RunInfo(
    String id,
    String workflow,
    String workflowFile,
    String workflowText,
    Map<String, String> inputs,
    Instant started) {
  public RunInfo {
    inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }
}
