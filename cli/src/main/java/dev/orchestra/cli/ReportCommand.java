package dev.orchestra.cli;

import dev.orchestra.cli.report.HtmlReport;
import dev.orchestra.cli.report.JunitXml;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra report RUN --junit FILE --html FILE}: writes a finished run as a JUnit XML
 * report (for CI test tabs) and/or a static HTML page.
 */
@Command(
    name = "report",
    description = "Write a finished run as JUnit XML (--junit) and/or an HTML page (--html).")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'orchestra runs').")
  String runId;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML report here.")
  Path junit;

  @Option(names = "--html", paramLabel = "FILE", description = "Write an HTML report here.")
  Path html;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description = "Where run records are (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (junit == null && html == null) {
      err.println("orchestra: error: name a report to write: --junit FILE and/or --html FILE");
      err.flush();
      return ExitCode.INVALID;
    }
    FileRunStore store = RunsLocation.store(runsDir);
    RunLookup.info(store, runId);
    RunResult result = store.result(runId).orElse(null);
    if (result == null) {
      err.println(
          "orchestra: error: run "
              + runId
              + " has no result yet (it is running or was interrupted); finish it with"
              + " 'orchestra resume "
              + runId
              + "' first");
      err.flush();
      return ExitCode.FAILED;
    }
    if (junit != null) {
      JunitXml.write(result, store::attempts, junit);
      out.println("wrote " + junit);
    }
    if (html != null) {
      HtmlReport.write(result, html);
      out.println("wrote " + html);
    }
    out.flush();
    return ExitCode.OK;
  }
}
