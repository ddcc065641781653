package dev.orchestra.cli.run;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The summary printed after a run: a row per node, the totals, the run id and its records. */
public final class SummaryTable {
  private SummaryTable() {}

  /** The header of a table of nodes, as the summary and {@code runs show} print it. */
  public static final List<String> HEADER =
      List.of("NODE", "STATUS", "ATTEMPTS", "DURATION", "TOKENS", "COST", "REASON");

  /** One node's row under {@link #HEADER}, its reason on one line of at most {@code width}. */
  public static List<String> row(NodeResult n, int width) {
    return List.of(
        n.node(),
        n.status().wireName(),
        Integer.toString(n.attempts()),
        n.attempts() == 0 ? "-" : Formats.duration(n.durationMs()),
        Formats.tokens(n.usage()),
        Formats.cost(n.usage()),
        oneLine(n.reason(), width));
  }

  /** {@code text} on one line, truncated to {@code width}; empty for {@code null}. */
  public static String oneLine(String text, int width) {
    return text == null ? "" : Formats.truncate(text.strip().replace('\n', ' '), width);
  }

  /** Prints the summary of {@code result} to {@code out}. */
  public static void print(RunResult result, Path records, PrintWriter out) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    int ok = 0;
    for (NodeResult n : result.nodes().values()) {
      if (n.status() == NodeStatus.SUCCEEDED) {
        ok++;
      }
      rows.add(row(n, 60));
    }
    out.println();
    Table.print(rows, out);
    out.println();
    out.printf(
        "run %s %s in %s: %d/%d nodes succeeded, tokens %s, cost %s%n",
        result.runId(),
        result.status().wireName(),
        Formats.duration(result.duration()),
        ok,
        result.nodes().size(),
        Formats.tokens(result.usage()),
        Formats.cost(result.usage()));
    if (result.reason() != null) {
      out.println("reason: " + result.reason());
    }
    branches(result, out);
    out.println("records: " + records);
    out.flush();
  }

  /**
   * The git branches of a run ({@code isolation: branch}) with their head commits, and the command
   * that checks out its result; nothing when the run made no branches.
   */
  public static void branches(RunResult result, PrintWriter out) {
    List<List<String>> rows = new ArrayList<>();
    for (NodeResult n : result.nodes().values()) {
      if (n.branch() != null) {
        rows.add(List.of("  " + n.node(), n.branch().name(), shortId(n.branch().commit())));
      }
    }
    if (result.branch() != null) {
      rows.add(List.of("  (run)", result.branch().name(), shortId(result.branch().commit())));
    }
    if (rows.isEmpty()) {
      return;
    }
    out.println("branches:");
    Table.print(rows, out);
    if (result.checkout() != null) {
      out.println("check out the result: " + result.checkout());
    }
  }

  private static String shortId(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
