package dev.orchestra.cli.report;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What the reports ({@code --junit}, {@code --html}, {@code --summary}) say about one finished run,
 * read once from its records: its graph, each node's result with the failures of its attempts, and
 * the run's totals. The records are masked already, so nothing here holds a secret.
 *
 * <p>The graph comes from parsing the recorded workflow again, most of a report's time on a
 * 10,000-node run; it is parsed when something asks for it: the HTML page, or the reason of a
 * skipped node. A JUnit report of a run where no node was skipped needs neither.
 */
public final class RunReport {

  /** The most of one check's or stream's output a report shows; the records hold all of it. */
  static final int TAIL_CHARS = 4096;

  private final RunInfo info;
  private final RunResult result;
  private final Map<String, NodeReport> nodes;
  private final Totals totals;
  private ReportGraph graph;

  private RunReport(
      RunInfo info,
      RunResult result,
      ReportGraph graph,
      Map<String, NodeReport> nodes,
      Totals totals) {
    this.info = info;
    this.result = result;
    this.graph = graph;
    this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    this.totals = totals;
  }

  /** The run's result. */
  public RunResult result() {
    return result;
  }

  /** Its nodes and their dependency edges (parsed from the recorded workflow on first use). */
  public synchronized ReportGraph graph() {
    if (graph == null) {
      graph = ReportGraph.of(info, result);
    }
    return graph;
  }

  /** What to say about each node, in the result's order. */
  public Map<String, NodeReport> nodes() {
    return nodes;
  }

  /** The run's totals. */
  public Totals totals() {
    return totals;
  }

  /**
   * Reads the report of a finished run.
   *
   * @param attempts the attempt records of a node by run id and node id ({@code
   *     RunStore::attempts})
   */
  public static RunReport read(
      RunInfo info, RunResult result, BiFunction<String, String, List<AttemptRecord>> attempts) {
    // Only a skipped node's reason follows the edges (to the upstream node that failed).
    boolean skipped =
        result.nodes().values().stream().anyMatch(n -> n.status() == NodeStatus.SKIPPED);
    ReportGraph graph = skipped ? ReportGraph.of(info, result) : null;
    Map<String, List<String>> needs = new HashMap<>();
    for (ReportGraph.Edge e : graph == null ? List.<ReportGraph.Edge>of() : graph.edges()) {
      needs.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
    }
    Map<String, NodeReport> nodes = new LinkedHashMap<>();
    for (NodeResult n : result.nodes().values()) {
      List<AttemptFailure> failures = new ArrayList<>();
      // A node that succeeded at its first attempt failed none: its records need not be read,
      // which on a run of 10,000 such nodes is most of the report's time.
      boolean failedNone = n.status() == NodeStatus.SUCCEEDED && n.attempts() <= 1;
      if (n.status() != NodeStatus.SKIPPED && !failedNone) {
        List<AttemptRecord> records = attempts.apply(result.runId(), n.node());
        for (AttemptRecord r : records) {
          boolean last = r.attempt() == n.attempts();
          if (!last || n.status() != NodeStatus.SUCCEEDED) {
            failures.add(AttemptFailure.of(r));
          }
        }
      }
      nodes.put(n.node(), new NodeReport(n, reason(n, result, needs), failures));
    }
    return new RunReport(info, result, graph, nodes, Totals.of(result));
  }

  /**
   * Why a node did not succeed in one line: for a skipped node the upstream node that failed (the
   * first of its needs that did not succeed, followed through skipped ones), as {@code skipped:
   * plan failed}; {@code null} for a node that succeeded.
   */
  private static String reason(NodeResult n, RunResult result, Map<String, List<String>> needs) {
    if (n.status() == NodeStatus.SUCCEEDED) {
      return null;
    }
    if (n.status() == NodeStatus.SKIPPED) {
      NodeResult cause = n;
      boolean upstream = false;
      // Bounded by the node count: the graph is acyclic, the bound only guards a broken record.
      for (int hops = 0;
          cause.status() == NodeStatus.SKIPPED && hops < result.nodes().size();
          hops++) {
        NodeResult up = firstNotSucceeded(needs.getOrDefault(cause.node(), List.of()), result);
        if (up == null) {
          break;
        }
        cause = up;
        upstream = true;
      }
      if (upstream) {
        return "skipped: " + cause.node() + " " + words(cause.status());
      }
      return n.reason() == null ? "skipped" : "skipped: " + Markup.firstLine(n.reason());
    }
    return n.reason() == null ? words(n.status()) : Markup.firstLine(n.reason());
  }

  private static NodeResult firstNotSucceeded(List<String> needs, RunResult result) {
    for (String need : needs) {
      NodeResult r = result.nodes().get(need);
      if (r != null && r.status() != NodeStatus.SUCCEEDED) {
        return r;
      }
    }
    return null;
  }

  /** A status in words: {@code timed out}, {@code budget exceeded}. */
  static String words(NodeStatus status) {
    return status.wireName().replace('_', ' ');
  }

  /**
   * One node.
   *
   * @param result its result
   * @param reason why it did not succeed, in one line ({@code null} when it succeeded)
   * @param failures every attempt that failed, in order: all attempts of a node that did not
   *     succeed, the attempts before the last of one that did
   */
  public record NodeReport(NodeResult result, String reason, List<AttemptFailure> failures) {
    public NodeReport {
      failures = List.copyOf(failures);
    }

    /** Whether the node succeeded. */
    public boolean succeeded() {
      return result.status() == NodeStatus.SUCCEEDED;
    }

    /** The failure of its last attempt, when that one failed. */
    public Optional<AttemptFailure> lastFailure() {
      return failures.isEmpty() || succeeded()
          ? Optional.empty()
          : Optional.of(failures.get(failures.size() - 1));
    }
  }

  /**
   * What went wrong in one attempt: the checks that failed with their output, or, when no check
   * failed (the agent itself failed or timed out), the tail of the agent's standard error.
   *
   * @param attempt the attempt number, from 1
   * @param checks the checks that failed, their output cut to its last {@value #TAIL_CHARS}
   *     characters and made printable
   * @param stderr the tail of the agent's standard error when no check failed, else empty
   */
  public record AttemptFailure(int attempt, List<CheckResult> checks, String stderr) {
    public AttemptFailure {
      checks = List.copyOf(checks);
    }

    static AttemptFailure of(AttemptRecord r) {
      List<CheckResult> failed = new ArrayList<>();
      for (CheckResult c : r.checks()) {
        if (!c.passed()) {
          failed.add(
              new CheckResult(
                  Markup.printable(c.check()),
                  false,
                  Markup.tail(Markup.printable(c.output()), TAIL_CHARS)));
        }
      }
      String stderr =
          failed.isEmpty() ? Markup.tail(Markup.printable(r.stderr()).strip(), TAIL_CHARS) : "";
      return new AttemptFailure(r.attempt(), failed, stderr);
    }

    /** One line: {@code attempt 1: check 'unit tests' failed}. */
    public String summary() {
      if (checks.isEmpty()) {
        return "attempt " + attempt + ": the agent failed" + (stderr.isEmpty() ? "" : " (stderr)");
      }
      List<String> names = checks.stream().map(c -> "'" + c.check() + "'").toList();
      return "attempt "
          + attempt
          + ": check"
          + (names.size() == 1 ? " " : "s ")
          + String.join(", ", names)
          + " failed";
    }

    /** The failing checks' output (or the stderr tail) as plain text. */
    public String text() {
      StringBuilder b = new StringBuilder();
      for (CheckResult c : checks) {
        b.append("check '").append(c.check()).append("' failed:\n").append(c.output().strip());
        b.append('\n');
      }
      if (!stderr.isEmpty()) {
        b.append("stderr:\n").append(stderr).append('\n');
      }
      return b.toString();
    }
  }

  /**
   * A run's totals.
   *
   * @param status how the run ended
   * @param duration its wall time
   * @param usage the tokens and cost of all nodes
   * @param nodes the number of nodes
   * @param succeeded nodes that succeeded
   * @param failed nodes that failed, errored, timed out or ran over budget, in result order
   * @param skipped nodes skipped because an upstream node did not succeed
   * @param cancelled nodes cancelled or never started for another reason
   * @param retries attempts beyond the first, over all nodes
   */
  public record Totals(
      RunStatus status,
      Duration duration,
      Usage usage,
      int nodes,
      int succeeded,
      List<String> failed,
      int skipped,
      int cancelled,
      int retries) {
    public Totals {
      failed = List.copyOf(failed);
    }

    static Totals of(RunResult result) {
      int succeeded = 0;
      int skipped = 0;
      int cancelled = 0;
      int retries = 0;
      List<String> failed = new ArrayList<>();
      for (NodeResult n : result.nodes().values()) {
        retries += Math.max(0, n.attempts() - 1);
        switch (n.status()) {
          case SUCCEEDED -> succeeded++;
          case SKIPPED -> skipped++;
          case FAILED, ERROR, TIMED_OUT, BUDGET_EXCEEDED -> failed.add(n.node());
          default -> cancelled++;
        }
      }
      return new Totals(
          result.status(),
          result.duration(),
          result.usage(),
          result.nodes().size(),
          succeeded,
          failed,
          skipped,
          cancelled,
          retries);
    }
  }
}
