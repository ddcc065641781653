package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.cli.report.HtmlReport;
import dev.orchestra.cli.report.JunitXml;
import dev.orchestra.cli.report.RunReport;
import dev.orchestra.cli.report.SummaryLine;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra report RUN [--junit FILE] [--html DIR] [--summary]}: writes a finished run as a
 * JUnit XML report (for CI test tabs), a static HTML page with its DAG (for CI build pages) and/or
 * prints it in one line (for a build's description).
 *
 * <p>Standard output carries only the summary line, so that {@code $(orchestra report RUN
 * --summary)} captures just that; what was written is said on standard error.
 */
@Command(
    name = "report",
    description = {
      "Write a finished run as JUnit XML (--junit), an HTML page with its DAG (--html),",
      "and/or print it in one line (--summary)."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'orchestra runs').")
  String runId;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "Write a JUnit XML report here: one test case per node.")
  Path junit;

  @Option(
      names = "--html",
      paramLabel = "DIR",
      description =
          "Write DIR/"
              + HtmlReport.PAGE
              + " and DIR/"
              + HtmlReport.STYLESHEET
              + ": the run's DAG"
              + " and totals, renderable under Jenkins' Content-Security-Policy.")
  Path html;

  @Option(
      names = "--summary",
      description = "Print the run in one line, e.g. for Jenkins' currentBuild.description.")
  boolean summary;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description = "Where run records are (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (junit == null && html == null && !summary) {
      err.println(
          "orchestra: error: name what to write: --junit FILE, --html DIR and/or --summary");
      err.flush();
      return ExitCode.INVALID;
    }
    if (html != null && Files.exists(html) && !Files.isDirectory(html)) {
      throw new OrchestraException(
          "--html takes a directory (it writes "
              + HtmlReport.PAGE
              + " and "
              + HtmlReport.STYLESHEET
              + " there), but "
              + html
              + " is a file; name a directory, e.g. --html "
              + (html.getParent() == null
                  ? Path.of("report")
                  : html.getParent().resolve("report")));
    }
    FileRunStore store = RunsLocation.store(runsDir);
    RunInfo info = RunLookup.info(store, runId);
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
    RunReport report = RunReport.read(info, result, store::attempts);
    if (junit != null) {
      JunitXml.write(report, junit);
      err.println("wrote " + junit);
    }
    if (html != null) {
      err.println("wrote " + HtmlReport.write(report, html));
    }
    if (summary) {
      out.println(SummaryLine.of(report.totals()));
    }
    out.flush();
    err.flush();
    return ExitCode.OK;
  }
}
