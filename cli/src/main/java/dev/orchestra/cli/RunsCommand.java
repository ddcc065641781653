package dev.orchestra.cli;

import dev.orchestra.cli.run.Formats;
import dev.orchestra.cli.run.SummaryTable;
import dev.orchestra.cli.run.Table;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.state.NodeState;
import dev.orchestra.state.RunState;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.store.file.RunListing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra runs}: the recorded runs, newest first, with {@code show} and {@code logs}
 * subcommands for one run and {@code import} to copy them into the database.
 */
@Command(
    name = "runs",
    description = "List recorded runs, newest first.",
    subcommands = {
      RunsShowCommand.class,
      RunsLogsCommand.class,
      RunsImportCommand.class,
      RunsFinishCommand.class
    })
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Where run records are (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FileRunStore store = RunsLocation.store(runsDir);
    List<RunListing> runs = store.listing();
    if (runs.isEmpty()) {
      out.println("no runs in " + store.directory() + "; start one with 'orchestra run FILE'");
      out.flush();
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("RUN", "WORKFLOW", "STATUS", "STARTED", "DURATION", "NODES OK"));
    for (RunListing run : runs) {
      rows.add(row(store, run));
    }
    Table.print(rows, out);
    out.flush();
    return ExitCode.OK;
  }

  private static List<String> row(FileRunStore store, RunListing listing) {
    RunSummary run = listing.summary();
    RunListing.Ending ending = listing.ending();
    String status;
    String duration;
    String nodes;
    if (ending != null) {
      status = run.status().wireName();
      duration = Formats.duration(ending.duration());
      nodes = ending.succeeded() + "/" + ending.nodes();
    } else {
      // No result: running now (another process holds the lock) or interrupted.
      status = run.active() ? "running" : "interrupted";
      duration = "-";
      // The run id is taken from the events: records copied under another name still show.
      RunState state = RunState.of(null, List.of(), store.events(run.id()));
      nodes = state.counts().getOrDefault(NodeStatus.SUCCEEDED, 0) + "/?";
    }
    return List.of(
        run.id(),
        run.workflow() == null ? "-" : run.workflow(),
        status,
        Formats.stamp(run.started()),
        duration,
        nodes);
  }

  /**
   * One row per node: from the result, else from the events; a node of an {@code interrupted} run
   * that was still at work when the records end shows as {@code interrupted}, since nothing runs it
   * any more.
   */
  static List<List<String>> nodeRows(
      Optional<RunResult> result, RunState state, boolean interrupted) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(SummaryTable.HEADER);
    if (result.isPresent()) {
      for (NodeResult n : result.get().nodes().values()) {
        rows.add(SummaryTable.row(n, 80));
      }
    } else {
      for (NodeState n : state.nodes()) {
        rows.add(
            List.of(
                n.id(),
                interrupted
                        && !n.status().isTerminal()
                        && n.status() != NodeStatus.PENDING
                        && n.status() != NodeStatus.WAITING_APPROVAL
                    ? "interrupted"
                    : n.status().wireName(),
                Integer.toString(n.attempt()),
                n.duration() == null ? "-" : Formats.duration(n.duration()),
                Formats.tokens(n.usage()),
                Formats.cost(n.usage()),
                SummaryTable.oneLine(n.reason(), 80)));
      }
    }
    return rows;
  }
}
