package dev.orchestra.cli;

import dev.orchestra.cli.run.DecisionHint;
import dev.orchestra.cli.run.Formats;
import dev.orchestra.cli.run.SummaryTable;
import dev.orchestra.cli.run.Table;
import dev.orchestra.engine.RecordedPlans;
import dev.orchestra.event.Usage;
import dev.orchestra.state.NodeState;
import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunState;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.DockerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra runs show RUN}: a run's metadata, each node's status, attempts, duration, usage
 * and reason, the decisions on its approval gates and the nodes waiting for one, the usage of each
 * attempt that spent any, and where its records are.
 */
@Command(name = "show", description = "Show one run: its nodes, their status and usage.")
final class RunsShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand RunsCommand parent;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'orchestra runs').")
  String runId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FileRunStore store = RunsLocation.store(parent.runsDir);
    RunInfo info = RunLookup.info(store, runId);
    Optional<RunResult> result = store.result(runId);
    // Recorded when the run started (older records: parsed from its workflow's text).
    RunPlan plan = RecordedPlans.of(info);
    Map<String, Decision> decisions = store.decisions(runId);
    // A result holds every node's row and attempts, and a finished run has no node waiting: its
    // events are read only to order the decisions (most of a 10,000-node run's records).
    // The run id is taken from the events: records copied under another name still show.
    RunState state =
        RunState.of(
            null,
            plan.nodes(),
            result.isPresent() && decisions.isEmpty() ? List.of() : store.events(runId));
    out.println("run:      " + info.id());
    out.println(
        "workflow: "
            + info.workflow()
            + (info.workflowFile() == null ? "" : " (" + info.workflowFile() + ")"));
    info.inputs().forEach((k, v) -> out.println("input:    " + k + " = " + v));
    out.println("started:  " + Formats.stamp(info.started()));
    if (result.isPresent()) {
      RunResult r = result.get();
      out.println("status:   " + r.status().wireName());
      out.println(
          "finished: " + Formats.stamp(r.finished()) + " (" + Formats.duration(r.duration()) + ")");
      if (r.reason() != null) {
        out.println("reason:   " + r.reason());
      }
      out.println(
          "usage:    tokens " + Formats.tokens(r.usage()) + ", cost " + Formats.cost(r.usage()));
    }
    boolean planned = result.isEmpty() && store.planned(runId);
    boolean interrupted =
        result.isEmpty()
            && !planned
            && store.list().stream().noneMatch(s -> s.id().equals(runId) && s.active());
    if (planned) {
      out.println(
          "status:   planned for a pipeline, no result yet: its nodes run with 'orchestra node exec"
              + " --run "
              + runId
              + " --node NODE', and 'orchestra runs finish "
              + runId
              + "' ends it");
    } else if (result.isEmpty()) {
      out.println(
          interrupted
              ? "status:   interrupted (no result); continue it with: orchestra resume " + runId
              : "status:   running (no result yet)");
    }
    out.println();
    Table.print(RunsCommand.nodeRows(result, state, interrupted), out);
    List<String> approvals = approvals(decisions, state);
    if (!approvals.isEmpty()) {
      out.println();
      out.println("approvals:");
      approvals.forEach(out::println);
    }
    List<String> containers = containers(plan);
    if (!containers.isEmpty()) {
      out.println();
      out.println("containers:");
      containers.forEach(out::println);
    }
    result.ifPresent(
        r -> {
          if (r.branch() != null || r.nodes().values().stream().anyMatch(n -> n.branch() != null)) {
            out.println();
            SummaryTable.branches(r, out);
          }
        });
    out.println();
    List<List<String>> attempts = attemptRows(store, runId, result, state);
    if (attempts.size() > 1) {
      Table.print(attempts, out);
      out.println();
    }
    Path dir = store.runDirectory(runId);
    out.println("records:  " + dir);
    if (result.isPresent()) {
      out.println("result:   " + dir.resolve("result.json"));
    }
    out.flush();
    return ExitCode.OK;
  }

  /**
   * One entry per node with a decision or waiting for one: who decided, when and why, or what it
   * asks, who may decide and the commands that decide it.
   */
  private List<String> approvals(Map<String, Decision> decisions, RunState state) {
    DecisionHint hint = DecisionHint.of(parent.runsDir);
    // By id, once: a lookup per node in the state's list made a 10,000-node run take seconds.
    Map<String, NodeState> byId = new HashMap<>();
    state.nodes().forEach(n -> byId.put(n.id(), n));
    List<String> ids = new ArrayList<>(state.nodes().stream().map(NodeState::id).toList());
    decisions.keySet().stream().filter(id -> !byId.containsKey(id)).sorted().forEach(ids::add);
    int width = ids.stream().mapToInt(String::length).max().orElse(0);
    List<String> lines = new ArrayList<>();
    for (String node : ids) {
      Decision d = decisions.get(node);
      NodeState n = byId.get(node);
      String id = "  " + Formats.pad(node, width) + "  ";
      if (d != null) {
        lines.add(
            id
                + d.verb()
                + " by "
                + d.by()
                + " at "
                + Formats.stamp(d.time())
                + (d.comment() == null ? "" : ": " + d.comment()));
      } else if (n != null && n.waitsForApproval() && n.approval() != null) {
        String indent = " ".repeat(id.length());
        lines.add(
            id
                + "waiting: "
                + n.approval().message()
                + " (approvers: "
                + DecisionHint.approvers(n.approval().approvers())
                + ")");
        lines.add(indent + hint.approve(runId, node));
        lines.add(indent + hint.reject(runId, node));
      }
    }
    return lines;
  }

  /** Each attempt that spent something (agents, critics): node, attempt, tokens, cost. */
  static List<List<String>> attemptRows(
      FileRunStore store, String runId, Optional<RunResult> result, RunState state) {
    List<String> nodes =
        result.isPresent()
            ? List.copyOf(result.get().nodes().keySet())
            : state.nodes().stream().map(NodeState::id).toList();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NODE", "ATTEMPT", "TOKENS", "COST"));
    for (String node : nodes) {
      for (AttemptRecord a : store.attempts(runId, node)) {
        Usage u = a.usage();
        if (u != null && (u.totalTokens() > 0 || u.costUsd().signum() != 0)) {
          rows.add(
              List.of(node, Integer.toString(a.attempt()), Formats.tokens(u), Formats.cost(u)));
        }
      }
    }
    return rows;
  }

  /** The run's node ids in topological order, or none when it recorded no plan that parses. */
  static List<String> nodeIds(RunInfo info) {
    return RecordedPlans.of(info).nodes().stream().map(PlannedNode::id).toList();
  }

  /**
   * One line per node of the workflow that runs in containers: its image and what its containers
   * are given, defaults filled in ({@link DockerOptions#describe()}).
   */
  private static List<String> containers(RunPlan plan) {
    int width = plan.containers().stream().mapToInt(c -> c.node().length()).max().orElse(0);
    List<String> lines = new ArrayList<>();
    for (RunPlan.Container c : plan.containers()) {
      lines.add(
          "  " + Formats.pad(c.node(), width) + "  " + c.image() + ": " + c.docker().describe());
    }
    return lines;
  }
}
