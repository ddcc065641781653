package dev.orchestra.cli.report;

import dev.orchestra.cli.report.RunReport.AttemptFailure;
import dev.orchestra.cli.report.RunReport.NodeReport;
import dev.orchestra.cli.run.Formats;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run as a JUnit XML report in the shape Maven Surefire writes and Jenkins' {@code junit} step
 * reads: one {@code <testsuite>} named after the workflow, one {@code <testcase>} per node ({@code
 * classname} = the workflow's name, {@code time} = the node's duration in seconds).
 *
 * <ul>
 *   <li>A {@code failed} node carries a {@code <failure>}, a node that could not finish ({@code
 *       error}, {@code timed_out}, {@code budget_exceeded}) an {@code <error>}: the message is the
 *       reason, the text the reason and the failing checks' output tail of the last attempt.
 *   <li>Attempts that failed before the last are {@code <flakyFailure>} (the node then succeeded)
 *       or {@code <rerunFailure>} (it did not), as Surefire writes reruns.
 *   <li>{@code skipped} nodes are {@code <skipped message="skipped: plan failed"/>}, naming the
 *       upstream node that failed; {@code cancelled} ones are {@code <skipped>} with the reason.
 *   <li>Every case has a {@code <system-out>} with the status, attempts, duration, tokens and cost,
 *       which Jenkins shows on the case's page (it ignores reruns).
 * </ul>
 *
 * <p>All text passes {@link Markup#printable}, so control characters and ANSI colours in check
 * output cannot make the file unreadable.
 */
public final class JunitXml {
  private static final String INDENT = "\n    ";

  private JunitXml() {}

  /** Writes the report to {@code file}, creating its directory. */
  public static void write(RunReport report, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        write(report, x);
        x.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JUnit report " + file, e);
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the JUnit report " + file, e);
    }
  }

  private static void write(RunReport report, XMLStreamWriter x) throws XMLStreamException {
    RunResult result = report.result();
    RunReport.Totals totals = report.totals();
    x.writeStartDocument("UTF-8", "1.0");
    x.writeCharacters("\n");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", result.workflow());
    x.writeAttribute("tests", Integer.toString(totals.nodes()));
    x.writeAttribute("failures", Integer.toString(count(report, "failure")));
    x.writeAttribute("errors", Integer.toString(count(report, "error")));
    x.writeAttribute("skipped", Integer.toString(count(report, "skipped")));
    x.writeAttribute("time", seconds(result.duration().toMillis()));
    x.writeAttribute(
        "timestamp",
        DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
            result.started().atOffset(ZoneOffset.UTC).withNano(0)));
    x.writeCharacters("\n  ");
    x.writeStartElement("properties");
    property(x, "orchestra.run", result.runId());
    property(x, "orchestra.status", result.status().wireName());
    property(x, "orchestra.summary", SummaryLine.of(totals));
    x.writeCharacters("\n  ");
    x.writeEndElement();
    for (NodeReport node : report.nodes().values()) {
      testcase(result.workflow(), node, x);
    }
    x.writeCharacters("\n");
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndDocument();
  }

  private static void testcase(String workflow, NodeReport node, XMLStreamWriter x)
      throws XMLStreamException {
    NodeResult n = node.result();
    x.writeCharacters("\n  ");
    x.writeStartElement("testcase");
    x.writeAttribute("name", n.node());
    x.writeAttribute("classname", workflow);
    x.writeAttribute("time", seconds(n.durationMs()));
    String kind = kind(n.status());
    if (!kind.isEmpty()) {
      x.writeCharacters(INDENT);
      x.writeStartElement(kind);
      x.writeAttribute("message", Markup.printable(node.reason()));
      if (!kind.equals("skipped")) {
        x.writeAttribute("type", n.status().wireName());
        x.writeCharacters(detail(node));
      }
      x.writeEndElement();
    }
    List<AttemptFailure> failures = node.failures();
    int reruns = node.succeeded() ? failures.size() : Math.max(0, failures.size() - 1);
    for (AttemptFailure f : failures.subList(0, reruns)) {
      x.writeCharacters(INDENT);
      x.writeStartElement(node.succeeded() ? "flakyFailure" : "rerunFailure");
      x.writeAttribute("message", f.summary());
      x.writeAttribute("type", "attempt_failed");
      x.writeStartElement("stackTrace");
      x.writeCharacters(f.text());
      x.writeEndElement();
      x.writeEndElement();
    }
    x.writeCharacters(INDENT);
    x.writeStartElement("system-out");
    x.writeCharacters(facts(node));
    x.writeEndElement();
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  private static int count(RunReport report, String kind) {
    return (int)
        report.nodes().values().stream()
            .filter(n -> kind(n.result().status()).equals(kind))
            .count();
  }

  private static void property(XMLStreamWriter x, String name, String value)
      throws XMLStreamException {
    x.writeCharacters("\n    ");
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", Markup.printable(value));
  }

  /** {@code failure}, {@code error}, {@code skipped}, or empty for a passed node. */
  static String kind(NodeStatus status) {
    return switch (status) {
      case SUCCEEDED -> "";
      case FAILED -> "failure";
      case SKIPPED, CANCELLED, PENDING -> "skipped";
      default -> "error";
    };
  }

  /**
   * The reason in full, what failed in the last attempt with its output, then one line per earlier
   * failed attempt (their output is in the rerun elements and the HTML report).
   */
  private static String detail(NodeReport node) {
    StringBuilder b = new StringBuilder();
    String reason = node.result().reason();
    b.append(Markup.printable(reason != null ? reason.strip() : node.reason())).append('\n');
    node.lastFailure()
        .ifPresent(f -> b.append('\n').append(f.summary()).append('\n').append(f.text()));
    List<AttemptFailure> failures = node.failures();
    if (failures.size() > 1) {
      b.append('\n');
    }
    for (AttemptFailure f : failures.subList(0, Math.max(0, failures.size() - 1))) {
      b.append(f.summary()).append('\n');
    }
    return b.toString();
  }

  /** The node's facts as {@code key: value} lines. */
  private static String facts(NodeReport node) {
    NodeResult n = node.result();
    return "status: "
        + n.status().wireName()
        + "\nattempts: "
        + n.attempts()
        + "\nduration: "
        + (n.attempts() == 0 ? "-" : Formats.duration(n.durationMs()))
        + "\ntokens: "
        + Formats.tokens(n.usage())
        + "\ncost: "
        + Formats.cost(n.usage())
        + (node.reason() == null ? "" : "\nreason: " + Markup.printable(node.reason()))
        + "\n";
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", Math.max(ms, 0) / 1000.0);
  }
}
