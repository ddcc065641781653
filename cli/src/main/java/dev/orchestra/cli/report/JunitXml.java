package dev.orchestra.cli.report;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run as a JUnit XML report in the shape Maven Surefire writes and CI servers read: one {@code
 * <testsuite>} named after the workflow, one {@code <testcase>} per node ({@code classname} = the
 * workflow's name, {@code time} = the node's duration in seconds). A {@code failed} node carries a
 * {@code <failure>}, a node that could not finish ({@code error}, {@code timed_out}, {@code
 * budget_exceeded}) an {@code <error>}, both with the tail of the failing check's output or the
 * reason; {@code skipped} and {@code cancelled} nodes are {@code <skipped>}.
 */
public final class JunitXml {
  /** The most of a check's output a failure carries; the run's records hold all of it. */
  static final int TAIL_CHARS = 4096;

  private JunitXml() {}

  /**
   * Writes the report of {@code result} to {@code file}.
   *
   * @param attempts the attempt records of a node, for the check output of failures
   */
  public static void write(
      RunResult result, BiFunction<String, String, List<AttemptRecord>> attempts, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        write(result, attempts, x);
        x.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JUnit report " + file, e);
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the JUnit report " + file, e);
    }
  }

  private static void write(
      RunResult result, BiFunction<String, String, List<AttemptRecord>> attempts, XMLStreamWriter x)
      throws XMLStreamException {
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    for (NodeResult n : result.nodes().values()) {
      switch (kind(n.status())) {
        case "failure" -> failures++;
        case "error" -> errors++;
        case "skipped" -> skipped++;
        default -> {}
      }
    }
    x.writeStartDocument("UTF-8", "1.0");
    x.writeCharacters("\n");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", result.workflow());
    x.writeAttribute("tests", Integer.toString(result.nodes().size()));
    x.writeAttribute("failures", Integer.toString(failures));
    x.writeAttribute("errors", Integer.toString(errors));
    x.writeAttribute("skipped", Integer.toString(skipped));
    x.writeAttribute("time", seconds(result.duration().toMillis()));
    x.writeAttribute(
        "timestamp",
        DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
            result.started().atOffset(ZoneOffset.UTC).withNano(0)));
    x.writeCharacters("\n  ");
    x.writeStartElement("properties");
    property(x, "orchestra.run", result.runId());
    property(x, "orchestra.status", result.status().wireName());
    x.writeCharacters("\n  ");
    x.writeEndElement();
    for (NodeResult n : result.nodes().values()) {
      x.writeCharacters("\n  ");
      x.writeStartElement("testcase");
      x.writeAttribute("name", n.node());
      x.writeAttribute("classname", result.workflow());
      x.writeAttribute("time", seconds(n.durationMs()));
      String kind = kind(n.status());
      if (!kind.isEmpty()) {
        x.writeCharacters("\n    ");
        x.writeStartElement(kind);
        x.writeAttribute("message", message(n));
        if (!kind.equals("skipped")) {
          x.writeAttribute("type", n.status().wireName());
          x.writeCharacters(detail(n, attempts.apply(result.runId(), n.node())));
        }
        x.writeEndElement();
        x.writeCharacters("\n  ");
      }
      x.writeEndElement();
    }
    x.writeCharacters("\n");
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndDocument();
  }

  private static void property(XMLStreamWriter x, String name, String value)
      throws XMLStreamException {
    x.writeCharacters("\n    ");
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", value);
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

  private static String message(NodeResult n) {
    String reason = n.reason() == null ? n.status().wireName() : n.reason().strip();
    int nl = reason.indexOf('\n');
    return nl < 0 ? reason : reason.substring(0, nl);
  }

  /** The failing checks' output of the last attempt, else the reason, cut to its tail. */
  private static String detail(NodeResult n, List<AttemptRecord> attempts) {
    StringBuilder b = new StringBuilder();
    if (!attempts.isEmpty()) {
      AttemptRecord last = attempts.get(attempts.size() - 1);
      for (CheckResult c : last.checks()) {
        if (!c.passed()) {
          b.append("check '").append(c.check()).append("' failed:\n");
          b.append(c.output() == null ? "" : c.output()).append('\n');
        }
      }
      if (b.length() == 0 && last.stderr() != null && !last.stderr().isBlank()) {
        b.append("stderr:\n").append(last.stderr());
      }
    }
    if (n.reason() != null) {
      b.insert(0, n.reason().strip() + "\n");
    }
    String text = b.toString();
    return text.length() <= TAIL_CHARS ? text : "…" + text.substring(text.length() - TAIL_CHARS);
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", Math.max(ms, 0) / 1000.0);
  }
}
