package dev.orchestra.cli.report;

import dev.orchestra.cli.run.Formats;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run as one static HTML page: the run's status and a table with a row per node (status,
 * attempts, duration, tokens, cost, reason). No scripts, no external resources.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Writes the page for {@code result} to {@code file}. */
  public static void write(RunResult result, Path file) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape("Run " + result.runId() + " of " + result.workflow()))
        .append("</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
        .append(".succeeded{color:#080}.failed,.error,.timed_out,.budget_exceeded{color:#b00}")
        .append(".skipped,.cancelled{color:#888}</style></head><body>\n<h1>")
        .append(escape(result.workflow()))
        .append("</h1>\n<p>Run <code>")
        .append(escape(result.runId()))
        .append("</code>: <strong class=\"")
        .append(result.status().wireName())
        .append("\">")
        .append(result.status().wireName())
        .append("</strong> in ")
        .append(Formats.duration(result.duration()))
        .append(", tokens ")
        .append(Formats.tokens(result.usage()))
        .append(", cost ")
        .append(escape(Formats.cost(result.usage())))
        .append("</p>\n<table>\n<tr><th>node</th><th>status</th><th>attempts</th>")
        .append("<th>duration</th><th>tokens</th><th>cost</th><th>reason</th></tr>\n");
    for (NodeResult n : result.nodes().values()) {
      String status = n.status().wireName();
      b.append("<tr><td>")
          .append(escape(n.node()))
          .append("</td><td class=\"")
          .append(status)
          .append("\">")
          .append(status)
          .append("</td><td>")
          .append(n.attempts())
          .append("</td><td>")
          .append(n.attempts() == 0 ? "-" : Formats.duration(n.durationMs()))
          .append("</td><td>")
          .append(Formats.tokens(n.usage()))
          .append("</td><td>")
          .append(escape(Formats.cost(n.usage())))
          .append("</td><td>")
          .append(n.reason() == null ? "" : escape(n.reason().strip()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n</body></html>\n");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the HTML report " + file, e);
    }
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
