package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.cli.run.LineView;
import dev.orchestra.cli.run.SummaryTable;
import dev.orchestra.event.RunStatus;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.trust.Trust;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra runs finish RUN [--cancel REASON]}: ends a planned run once its node processes
 * are over: merges what they recorded into one run, records the nodes that never ran, hands over
 * the run's branches and writes {@code run_finished} and the result (docs/pipeline-plan.md). Exit 0
 * when the run succeeded, 1 when it failed or was cancelled, 2 for an unknown run or a run a
 * process still holds.
 */
@Command(
    name = "finish",
    description = {
      "End a run planned with 'orchestra plan' once its node processes are over:",
      "record the nodes that never ran, the run branch, the run's end and result."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the run succeeded",
      "1:the run failed or was cancelled",
      "2:unknown run, a process still runs one of its nodes, or bad usage"
    })
final class RunsFinishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand RunsCommand runs;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(
      names = "--cancel",
      paramLabel = "REASON",
      description =
          "The pipeline stopped early (an aborted build): the run ends cancelled, and the nodes"
              + " that never ran are recorded cancelled with REASON.")
  String cancel;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (cancel != null && cancel.isBlank()) {
      return Pipelines.refuse(err, "--cancel must say why the run was stopped");
    }
    FileRunStore store = RunsLocation.store(runs.runsDir);
    RunResult result;
    try (OrchestraRuntime runtime = Pipelines.runtime(store, false)) {
      RunLookup.info(store, runId);
      result =
          runtime
              .engine()
              .planned(Trust.UNTRUSTED)
              .finish(runId, cancel, List.of(new LineView(out, 16)));
    } catch (OrchestraException e) {
      return Pipelines.refuse(err, e.getMessage());
    }
    SummaryTable.print(result, store.runDirectory(runId), out);
    out.flush();
    return result.status() == RunStatus.SUCCEEDED ? ExitCode.OK : ExitCode.FAILED;
  }
}
