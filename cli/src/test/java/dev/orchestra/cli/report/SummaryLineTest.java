package dev.orchestra.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.NodeStatus;
import org.junit.jupiter.api.Test;

class SummaryLineTest {
  @Test
  void namesTheStatusCountsRetriesTokensAndCost() {
    assertThat(SummaryLine.of(HtmlReportTest.report().totals()))
        .isEqualTo("failed: 3/5 nodes, 1 failed (test), 1 skipped, 2 retries, 41.2k tokens, $0.42");
  }

  @Test
  void leavesOutWhatIsZeroAndNamesAtMostThreeFailedNodes() {
    String workflow =
        """
        version: 1
        name: demo
        defaults: {agent: command}
        nodes:
          a: {command: echo}
          b: {command: echo}
          c: {command: echo}
          d: {command: echo}
          e: {command: echo}
        """;
    RunReport.Totals ok =
        Runs.of(workflow)
            .node("a", NodeStatus.SUCCEEDED, 1, null)
            .node("b", NodeStatus.SUCCEEDED, 1, null)
            .report()
            .totals();
    assertThat(SummaryLine.of(ok)).isEqualTo("succeeded: 2/2 nodes");

    RunReport.Totals bad =
        Runs.of(workflow)
            .failed("nodes did not succeed")
            .node("a", NodeStatus.FAILED, 1, "x")
            .node("b", NodeStatus.ERROR, 1, "x")
            .node("c", NodeStatus.TIMED_OUT, 2, "x")
            .node("d", NodeStatus.BUDGET_EXCEEDED, 1, "x", Runs.usage(900, 0, "0.004"))
            .node("e", NodeStatus.CANCELLED, 0, "x")
            .report()
            .totals();
    assertThat(SummaryLine.of(bad))
        .isEqualTo(
            "failed: 0/5 nodes, 4 failed (a, b, c and 1 more), 1 cancelled, 1 retry, 900 tokens,"
                + " $0.0040");
  }
}
