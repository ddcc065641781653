package dev.orchestra.cli.report;

import dev.orchestra.check.CheckResult;
import dev.orchestra.cli.report.RunReport.AttemptFailure;
import dev.orchestra.cli.report.RunReport.NodeReport;
import dev.orchestra.cli.report.RunReport.Totals;
import dev.orchestra.cli.run.Formats;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A run as a static HTML page for CI build pages ({@code publishHTML} in Jenkins): the run's
 * totals, its DAG as inline SVG ({@link SvgGraph} over a {@link LayeredLayout}), a table of all
 * nodes, and a section per node that did not succeed or needed retries with the failing checks'
 * output. Each node of the graph links to its section (or its table row) as {@code #node-ID}.
 *
 * <p>The page renders under Jenkins' default Content-Security-Policy for archived files ({@code
 * sandbox; default-src 'none'; img-src 'self'; style-src 'self';}): it has no scripts, no inline
 * {@code <style>} or {@code style} attributes and no external resources; all styling is in {@value
 * #STYLESHEET} next to it. Every text from the run (node ids, reasons, check output) is escaped.
 */
public final class HtmlReport {
  /** The page's file name in the report directory. */
  public static final String PAGE = "index.html";

  /** The stylesheet's file name in the report directory. */
  public static final String STYLESHEET = "report.css";

  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private HtmlReport() {}

  /**
   * Writes {@value #PAGE} and {@value #STYLESHEET} into {@code dir}, creating it; other files there
   * are left alone.
   *
   * @return the page's path
   */
  public static Path write(RunReport report, Path dir) {
    String page =
        page(report, LayeredLayout.layout(report.graph(), LayeredLayout.Options.defaults()));
    try (InputStream css = HtmlReport.class.getResourceAsStream(STYLESHEET)) {
      if (css == null) {
        throw new IllegalStateException(STYLESHEET + " is missing from the orchestra jar");
      }
      Files.createDirectories(dir);
      Files.write(dir.resolve(STYLESHEET), css.readAllBytes());
      Path file = dir.resolve(PAGE);
      Files.writeString(file, page);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the HTML report into " + dir, e);
    }
  }

  /** The fragment a node's details have: {@code node-ID}. */
  static String anchor(String node) {
    return "node-" + node;
  }

  /** The page's markup. */
  static String page(RunReport report, GraphLayout layout) {
    RunResult result = report.result();
    Totals totals = report.totals();
    String status = result.status().wireName();
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Markup.escape(result.workflow() + " · run " + result.runId() + " · " + status))
        .append("</title>\n<link rel=\"stylesheet\" href=\"")
        .append(STYLESHEET)
        .append("\">\n</head>\n<body>\n<header class=\"run\">\n<h1>")
        .append(Markup.escape(result.workflow()))
        .append(" <span class=\"badge status-")
        .append(status)
        .append("\">")
        .append(status)
        .append("</span></h1>\n<p class=\"run-id\">run <code>")
        .append(Markup.escape(result.runId()))
        .append("</code> · started ")
        .append(UTC.format(result.started()))
        .append(" · finished ")
        .append(UTC.format(result.finished()))
        .append("</p>\n");
    if (result.reason() != null) {
      b.append("<p class=\"reason\">")
          .append(Markup.escape(Markup.printable(result.reason().strip())))
          .append("</p>\n");
    }
    b.append("<dl class=\"totals\">\n");
    total(b, "status", status);
    total(b, "duration", Formats.duration(totals.duration()));
    total(b, "nodes", totals.succeeded() + " of " + totals.nodes() + " succeeded");
    total(b, "failed", Integer.toString(totals.failed().size()));
    total(b, "skipped", Integer.toString(totals.skipped()));
    if (totals.cancelled() > 0) {
      total(b, "cancelled", Integer.toString(totals.cancelled()));
    }
    total(b, "retries", Integer.toString(totals.retries()));
    total(b, "tokens", Formats.tokens(totals.usage()));
    total(b, "cost", Formats.cost(totals.usage()));
    b.append("</dl>\n</header>\n<main>\n<section class=\"graph-section\">\n<h2>Graph</h2>\n")
        .append("<div class=\"graph\">\n")
        .append(SvgGraph.render(report, layout))
        .append("\n</div>\n<p class=\"hint\">Arrows point from a node to the nodes that wait for")
        .append(" it. Select a node for its details.</p>\n</section>\n");
    nodeTable(b, report);
    details(b, report);
    b.append("</main>\n<footer>Written by <code>orchestra report</code> from the run's records")
        .append(" (secrets masked as <code>****</code>).</footer>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void total(StringBuilder b, String name, String value) {
    b.append("<div><dt>")
        .append(name)
        .append("</dt><dd>")
        .append(Markup.escape(value))
        .append("</dd></div>\n");
  }

  private static boolean hasSection(NodeReport node) {
    return !node.succeeded() || !node.failures().isEmpty();
  }

  private static void nodeTable(StringBuilder b, RunReport report) {
    b.append("<section class=\"node-list\">\n<h2>Nodes</h2>\n<table class=\"nodes\">\n<thead>")
        .append("<tr><th>node</th><th>status</th><th>attempts</th><th>duration</th>")
        .append("<th>tokens</th><th>cost</th><th>reason</th></tr></thead>\n<tbody>\n");
    for (NodeReport node : report.nodes().values()) {
      NodeResult n = node.result();
      String id = Markup.escape(n.node());
      b.append("<tr");
      if (!hasSection(node)) {
        b.append(" id=\"").append(Markup.escape(anchor(n.node()))).append('"');
      }
      b.append("><td>");
      if (hasSection(node)) {
        b.append("<a href=\"#").append(Markup.escape(anchor(n.node()))).append("\">");
        b.append(id).append("</a>");
      } else {
        b.append(id);
      }
      b.append("</td><td><span class=\"badge status-")
          .append(n.status().wireName())
          .append("\">")
          .append(RunReport.words(n.status()))
          .append("</span></td><td>")
          .append(n.attempts())
          .append("</td><td>")
          .append(n.attempts() == 0 ? "-" : Formats.duration(n.durationMs()))
          .append("</td><td>")
          .append(Formats.tokens(n.usage()))
          .append("</td><td>")
          .append(Markup.escape(Formats.cost(n.usage())))
          .append("</td><td>")
          .append(Markup.escape(node.reason() == null ? "" : Markup.printable(node.reason())))
          .append("</td></tr>\n");
    }
    b.append("</tbody>\n</table>\n</section>\n");
  }

  private static void details(StringBuilder b, RunReport report) {
    List<NodeReport> nodes =
        report.nodes().values().stream().filter(HtmlReport::hasSection).toList();
    if (nodes.isEmpty()) {
      return;
    }
    b.append("<section class=\"details\">\n<h2>Failures and retries</h2>\n");
    for (NodeReport node : nodes) {
      NodeResult n = node.result();
      b.append("<section class=\"node-detail status-")
          .append(n.status().wireName())
          .append("\" id=\"")
          .append(Markup.escape(anchor(n.node())))
          .append("\">\n<h3>")
          .append(Markup.escape(n.node()))
          .append(" <span class=\"badge status-")
          .append(n.status().wireName())
          .append("\">")
          .append(RunReport.words(n.status()))
          .append("</span></h3>\n<p>")
          .append(Markup.escape(SvgGraph.statusLine(n)))
          .append(" · ")
          .append(Markup.escape(SvgGraph.usageLine(n)))
          .append("</p>\n");
      if (n.reason() != null) {
        b.append("<p class=\"reason\">")
            .append(Markup.escape(Markup.printable(n.reason().strip())))
            .append("</p>\n");
      }
      List<AttemptFailure> failures = node.failures();
      for (int i = 0; i < failures.size(); i++) {
        AttemptFailure f = failures.get(i);
        boolean last = !node.succeeded() && i == failures.size() - 1;
        // The failing attempt is open; earlier ones fold away (<details> needs no script).
        b.append(last ? "<details class=\"attempt\" open>" : "<details class=\"attempt\">")
            .append("<summary>")
            .append(Markup.escape(f.summary()))
            .append("</summary>\n");
        for (CheckResult c : f.checks()) {
          output(b, "check '" + c.check() + "'", c.output());
        }
        if (!f.stderr().isEmpty()) {
          output(b, "agent stderr", f.stderr());
        }
        b.append("</details>\n");
      }
      b.append("</section>\n");
    }
    b.append("</section>\n");
  }

  private static void output(StringBuilder b, String title, String text) {
    b.append("<h4>")
        .append(Markup.escape(title))
        .append("</h4>\n<pre class=\"output\">")
        .append(Markup.escape(text.strip().isEmpty() ? "(no output)" : text.strip()))
        .append("</pre>\n");
  }
}
