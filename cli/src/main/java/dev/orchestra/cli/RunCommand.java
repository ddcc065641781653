package dev.orchestra.cli;

import dev.orchestra.cli.run.Plan;
import dev.orchestra.cli.run.RunSession;
import dev.orchestra.cli.run.RunView;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.store.file.FileRunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra run FILE}: validates the workflow, then runs it with the engine, showing the run
 * live on a terminal, as lines otherwise, or as JSON events with {@code --json}. Exit 0 succeeded,
 * 1 failed, 2 invalid, 130 interrupted (Ctrl-C or SIGTERM cancel the run; it can be resumed).
 */
@Command(
    name = "run",
    description = {
      "Run a workflow.",
      "The file is validated first; problems are printed as FILE:LINE:COL: error: MESSAGE.",
      "Ctrl-C cancels the run (its processes are killed, its records kept); continue it with"
          + " 'orchestra resume RUN'."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The workflow file (YAML or JSON).")
  Path file;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description = "A value for one of the workflow's inputs; repeat for more.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(names = "--dry-run", description = "Print the plan and exit without running anything.")
  boolean dryRun;

  @Mixin RunOutputOptions output;

  @Option(
      names = "--resume",
      paramLabel = "RUN",
      description = "Continue the interrupted run RUN instead (as 'orchestra resume RUN').")
  String resume;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Integer concurrency = output.concurrency;
    if (concurrency != null && concurrency < 1) {
      err.println("orchestra: error: --concurrency must be at least 1, was " + concurrency);
      err.flush();
      return ExitCode.INVALID;
    }
    if (resume != null) {
      return ResumeCommand.resume(resume, output, out, err);
    }
    WorkflowFiles.Checked checked = WorkflowFiles.check(file, inputs, output.trust.trust());
    if (!checked.ok()) {
      ProblemReport.print(checked.problems(), err);
      err.println(ProblemReport.summary(1, checked.problems().size()));
      err.flush();
      return ExitCode.INVALID;
    }
    if (dryRun) {
      Plan.print(checked.workflow(), inputs, concurrency, out);
      return ExitCode.OK;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      err.println("orchestra: error: cannot read " + file + ": " + e.getMessage());
      err.flush();
      return ExitCode.INVALID;
    }
    FileRunStore store = RunsLocation.store(output.runsDir);
    RunView view = output.view(checked.workflow(), out, err);
    RunOptions options =
        RunOptions.defaults()
            .withInputs(inputs)
            .withConcurrency(concurrency)
            .withWorkflowText(text)
            .withTrust(output.trust.trust());
    return new RunSession(store, Path.of(""), Clock.systemUTC())
        .execute(
            options, view, (Engine engine, RunOptions o) -> engine.start(checked.workflow(), o));
  }
}
