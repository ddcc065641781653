package dev.orchestra.cli;

import dev.orchestra.cli.run.LiveView;
import dev.orchestra.cli.run.RunSession;
import dev.orchestra.cli.run.RunView;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.engine.WorkflowReader;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.Workflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra resume RUN}: continues an interrupted, failed or cancelled run from its records;
 * nodes that succeeded are not run again. Same output modes and exit codes as {@code run}.
 */
@Command(
    name = "resume",
    description = {
      "Continue an interrupted, cancelled or failed run.",
      "Nodes that succeeded keep their outputs and are not run again."
    })
final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'orchestra runs').")
  String runId;

  @Mixin RunOutputOptions output;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return resume(runId, output, out, err);
  }

  static int resume(String runId, RunOutputOptions output, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    FileRunStore store = RunsLocation.store(output.runsDir);
    RunInfo info = RunLookup.info(store, runId);
    Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
    Workflow workflow =
        WorkflowReader.validating().parse(file, info.workflowText(), output.trust.trust());
    RunView view = output.view(workflow, out, err);
    if (view instanceof LiveView live) {
      live.replay(store.events(runId));
    }
    RunOptions options =
        RunOptions.defaults().withConcurrency(output.concurrency).withTrust(output.trust.trust());
    return new RunSession(store, Path.of(""), Clock.systemUTC())
        .execute(options, view, (Engine engine, RunOptions o) -> engine.resume(runId, o));
  }
}
