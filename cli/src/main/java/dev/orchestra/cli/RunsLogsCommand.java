package dev.orchestra.cli;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.file.FileRunStore;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra runs logs RUN NODE [--attempt K]}: what a node's attempts printed, and what its
 * checks said, from the run's records.
 */
@Command(
    name = "logs",
    description = "Print a node's stdout, stderr and check outputs from the run's records.")
final class RunsLogsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand RunsCommand parent;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Parameters(index = "1", paramLabel = "NODE", description = "The node id.")
  String node;

  @Option(names = "--attempt", paramLabel = "K", description = "Only attempt K (from 1).")
  Integer attempt;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FileRunStore store = RunsLocation.store(parent.runsDir);
    RunInfo info = RunLookup.info(store, runId);
    Set<String> nodes = new LinkedHashSet<>(RunsShowCommand.nodeIds(info));
    for (RecordedEvent e : store.events(runId)) {
      if (e.event().node() != null) {
        nodes.add(e.event().node());
      }
    }
    RunLookup.node(store, runId, node, nodes);
    List<AttemptRecord> attempts = store.attempts(runId, node);
    if (attempts.isEmpty()) {
      out.println("node " + node + " of run " + runId + " never started");
      out.flush();
      return ExitCode.OK;
    }
    if (attempt != null && attempts.stream().noneMatch(a -> a.attempt() == attempt)) {
      err.println(
          "orchestra: error: node "
              + node
              + " has no attempt "
              + attempt
              + "; it has attempts 1 to "
              + attempts.get(attempts.size() - 1).attempt());
      err.flush();
      return ExitCode.INVALID;
    }
    for (AttemptRecord a : attempts) {
      if (attempt == null || a.attempt() == attempt) {
        print(a, out);
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void print(AttemptRecord a, PrintWriter out) {
    out.println("=== " + a.node() + " attempt " + a.attempt() + " ===");
    section(out, "stdout", a.stdout());
    section(out, "stderr", a.stderr());
    int i = 0;
    for (CheckResult c : a.checks()) {
      i++;
      section(
          out,
          "check " + i + " '" + c.check() + "' " + (c.passed() ? "passed" : "failed"),
          c.output());
    }
    if (a.output() != null) {
      section(out, "output", a.output());
    }
  }

  private static void section(PrintWriter out, String title, String text) {
    out.println("--- " + title + " ---");
    if (text != null && !text.isEmpty()) {
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
  }
}
