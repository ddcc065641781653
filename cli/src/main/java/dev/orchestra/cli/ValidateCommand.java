package dev.orchestra.cli;

import dev.orchestra.workflow.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra validate FILE...}: checks every file and reports all problems of all files in
 * one run. Exit 0 when every file is valid, 2 otherwise.
 */
@Command(
    name = "validate",
    description = {
      "Check workflow files without running them.",
      "Every problem of every file is reported at once, as FILE:LINE:COL: error: MESSAGE."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files (YAML or JSON).")
  List<Path> files;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description =
          "An input value, as for 'run'. When any is given, missing required inputs and"
              + " undeclared ones are errors too.")
  Map<String, String> inputs;

  @Mixin TrustOption trust;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Problem> problems = new ArrayList<>();
    for (Path file : files) {
      WorkflowFiles.Checked checked = WorkflowFiles.check(file, inputs, trust.trust());
      if (checked.ok()) {
        int nodes = checked.workflow().nodes().size();
        out.println(file + ": ok (" + nodes + (nodes == 1 ? " node)" : " nodes)"));
      } else {
        problems.addAll(checked.problems());
      }
    }
    String summary = ProblemReport.summary(files.size(), problems.size());
    out.flush();
    if (problems.isEmpty()) {
      out.println(summary);
      out.flush();
      return ExitCode.OK;
    }
    ProblemReport.print(problems, err);
    err.println(summary);
    err.flush();
    return ExitCode.INVALID;
  }
}
