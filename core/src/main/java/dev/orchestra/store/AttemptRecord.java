package dev.orchestra.store;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ProcessGroup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was recorded for one attempt of one node. Parts that were never written are {@code null}
 * (strings) or empty (collections).
 *
 * @param node the node id
 * @param attempt the attempt number, from 1
 * @param prompt the prompt sent to the agent
 * @param stdout the agent's standard output
 * @param stderr the agent's standard error
 * @param checks the checks run after the agent, in order
 * @param output the attempt's final output
 * @param outputs the named outputs read after the checks passed
 * @param processes the process groups the attempt started, in order
 * @param usage what the attempt spent (its agent and its critics), or {@code null} when not
 *     recorded (a record from an older version, or an attempt that did not run its agent)
 */
public record AttemptRecord(
    String node,
    int attempt,
    String prompt,
    String stdout,
    String stderr,
    List<CheckResult> checks,
    String output,
    Map<String, String> outputs,
    List<ProcessGroup> processes,
    Usage usage) {
  public AttemptRecord {
    checks = checks == null ? List.of() : List.copyOf(checks);
    outputs =
        outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    processes = processes == null ? List.of() : List.copyOf(processes);
  }

  /** A record without process groups. */
  public AttemptRecord(
      String node,
      int attempt,
      String prompt,
      String stdout,
      String stderr,
      List<CheckResult> checks,
      String output,
      Map<String, String> outputs) {
    this(node, attempt, prompt, stdout, stderr, checks, output, outputs, List.of(), null);
  }

  /** A record without usage. */
  public AttemptRecord(
      String node,
      int attempt,
      String prompt,
      String stdout,
      String stderr,
      List<CheckResult> checks,
      String output,
      Map<String, String> outputs,
      List<ProcessGroup> processes) {
    this(node, attempt, prompt, stdout, stderr, checks, output, outputs, processes, null);
  }
}
