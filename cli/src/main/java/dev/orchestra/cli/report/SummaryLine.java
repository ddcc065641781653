package dev.orchestra.cli.report;

import dev.orchestra.cli.run.Formats;
import java.util.ArrayList;
import java.util.List;

/**
 * A run in one line, for a CI build's description ({@code currentBuild.description} in Jenkins),
 * e.g. {@code succeeded: 5/6 nodes, 1 failed (test), 3 retries, 41.2k tokens, $0.42}. Parts that
 * are zero are left out; at most {@value #NAMED} failed nodes are named.
 */
public final class SummaryLine {
  static final int NAMED = 3;

  private SummaryLine() {}

  /** The line for {@code totals}. */
  public static String of(RunReport.Totals totals) {
    List<String> parts = new ArrayList<>();
    parts.add(totals.succeeded() + "/" + totals.nodes() + " nodes");
    List<String> failed = totals.failed();
    if (!failed.isEmpty()) {
      String names = String.join(", ", failed.subList(0, Math.min(NAMED, failed.size())));
      if (failed.size() > NAMED) {
        names += " and " + (failed.size() - NAMED) + " more";
      }
      parts.add(failed.size() + " failed (" + names + ")");
    }
    if (totals.skipped() > 0) {
      parts.add(totals.skipped() + " skipped");
    }
    if (totals.cancelled() > 0) {
      parts.add(totals.cancelled() + " cancelled");
    }
    if (totals.retries() > 0) {
      parts.add(totals.retries() + (totals.retries() == 1 ? " retry" : " retries"));
    }
    if (totals.usage().totalTokens() > 0) {
      parts.add(Formats.compactTokens(totals.usage().totalTokens()) + " tokens");
    }
    if (totals.usage().costUsd().signum() > 0) {
      parts.add(Formats.compactCost(totals.usage()));
    }
    return totals.status().wireName() + ": " + String.join(", ", parts);
  }
}
