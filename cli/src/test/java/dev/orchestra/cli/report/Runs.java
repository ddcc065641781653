package dev.orchestra.cli.report;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds run records in memory for the report tests, node by node. */
final class Runs {
  static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

  private final String workflowText;
  private final Map<String, NodeResult> nodes = new LinkedHashMap<>();
  private final Map<String, List<AttemptRecord>> attempts = new HashMap<>();
  private RunStatus status = RunStatus.SUCCEEDED;
  private String reason;

  private Runs(String workflowText) {
    this.workflowText = workflowText;
  }

  /** A run of the workflow with this YAML text. */
  static Runs of(String workflowText) {
    return new Runs(workflowText);
  }

  Runs failed(String reason) {
    this.status = RunStatus.FAILED;
    this.reason = reason;
    return this;
  }

  Runs node(String id, NodeStatus status, int attempts, String reason) {
    return node(id, status, attempts, reason, Usage.ZERO);
  }

  Runs node(String id, NodeStatus status, int attempts, String reason, Usage usage) {
    nodes.put(
        id, new NodeResult(id, status, attempts, 1200L * attempts, usage, null, reason, Map.of()));
    return this;
  }

  /** Records attempt {@code n} of {@code node} with one check. */
  Runs attempt(String node, int n, String check, boolean passed, String output, String stderr) {
    attempts
        .computeIfAbsent(node, k -> new ArrayList<>())
        .add(
            new AttemptRecord(
                node,
                n,
                "prompt",
                "stdout",
                stderr,
                List.of(new CheckResult(check, passed, output)),
                null,
                Map.of()));
    return this;
  }

  RunReport report() {
    Usage total = Usage.ZERO;
    for (NodeResult n : nodes.values()) {
      total = total.plus(n.usage());
    }
    RunResult result =
        new RunResult(
            "20261123-120000-abcd",
            "demo",
            status,
            reason,
            START,
            START.plusSeconds(83),
            total,
            nodes);
    RunInfo info = new RunInfo(result.runId(), "demo", null, workflowText, Map.of(), START);
    return RunReport.read(info, result, (run, node) -> attempts.getOrDefault(node, List.of()));
  }

  static Usage usage(long in, long out, String cost) {
    return new Usage(in, out, new BigDecimal(cost));
  }
}
