package dev.orchestra.cli;

import dev.orchestra.cli.graph.GraphFormat;
import dev.orchestra.cli.graph.WorkflowGraph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra graph FILE [--format mermaid|dot|json]}: prints the workflow's DAG on stdout. An
 * invalid file is refused with its problems (exit 2), since its graph would mislead.
 */
@Command(
    name = "graph",
    description = {
      "Print a workflow's DAG as a Mermaid flowchart, a Graphviz digraph or JSON.",
      "Example: orchestra graph flow.yaml --format dot | dot -Tsvg > flow.svg"
    })
final class GraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A workflow file (YAML or JSON).")
  Path file;

  @Mixin TrustOption trust;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "mermaid",
      completionCandidates = GraphFormat.Names.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  GraphFormat format;

  @Override
  public Integer call() {
    WorkflowFiles.Checked checked = WorkflowFiles.check(file, null, trust.trust());
    if (!checked.ok()) {
      PrintWriter err = spec.commandLine().getErr();
      ProblemReport.print(checked.problems(), err);
      err.println(
          "orchestra: error: "
              + file
              + " is not a valid workflow; fix the problems above and run graph again");
      err.flush();
      return ExitCode.INVALID;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format.render(WorkflowGraph.of(checked.workflow())));
    out.flush();
    return ExitCode.OK;
  }
}
