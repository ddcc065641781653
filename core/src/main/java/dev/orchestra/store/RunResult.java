package dev.orchestra.store;

import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run ended ({@code result.json}).
 *
 * @param runId the run id
 * @param workflow the workflow's name
 * @param status succeeded, failed or cancelled
 * @param reason why it did not succeed (e.g. the run timeout), or {@code null}
 * @param started when the run was created
 * @param finished when it ended
 * @param usage the total of all nodes' usage
 * @param nodes every node's result, in workflow order
 * @param branch the run branch (the merge of the succeeded sinks, {@code isolation: branch}), or
 *     {@code null}
 * @param checkout how to check out the run's result (a shell command), or {@code null}
 */
public record RunResult(
    String runId,
    String workflow,
    RunStatus status,
    String reason,
    Instant started,
    Instant finished,
    Usage usage,
    Map<String, NodeResult> nodes,
    Branch branch,
    String checkout) {
  public RunResult {
    usage = usage == null ? Usage.ZERO : usage;
    nodes = nodes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** A result without git branches. */
  public RunResult(
      String runId,
      String workflow,
      RunStatus status,
      String reason,
      Instant started,
      Instant finished,
      Usage usage,
      Map<String, NodeResult> nodes) {
    this(runId, workflow, status, reason, started, finished, usage, nodes, null, null);
  }

  /** Wall time from the run's creation to its end (including time it was interrupted). */
  public Duration duration() {
    return Duration.between(started, finished);
  }
}
