package dev.orchestra.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.cli.report.ReportGraph.Edge;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGraphTest {
  @TempDir Path dir;

  private static final String OUTER =
      """
      version: 1
      name: outer
      defaults: {agent: command}
      nodes:
        prep: {command: echo}
        fix: {needs: [prep], uses: inner.yaml}
        ship: {needs: [fix], command: echo}
      """;

  private static RunResult result(String... nodes) {
    Map<String, NodeResult> results = new LinkedHashMap<>();
    for (String n : nodes) {
      results.put(
          n, new NodeResult(n, NodeStatus.SUCCEEDED, 1, 10, Usage.ZERO, null, null, Map.of()));
    }
    return new RunResult(
        "20261123-120000-abcd",
        "outer",
        RunStatus.SUCCEEDED,
        null,
        Runs.START,
        Runs.START,
        Usage.ZERO,
        results);
  }

  @Test
  void takesTheEdgesOfComposedNodesFromTheUsedFileWhenItIsStillThere() throws Exception {
    Files.writeString(
        dir.resolve("inner.yaml"),
        """
        version: 1
        name: inner
        defaults: {agent: command}
        nodes:
          code: {command: echo}
          review: {needs: [code], command: echo}
        """);
    Path outer = Files.writeString(dir.resolve("outer.yaml"), OUTER);
    RunInfo info =
        new RunInfo("20261123-120000-abcd", "outer", outer.toString(), OUTER, Map.of(), Runs.START);

    ReportGraph g = ReportGraph.of(info, result("prep", "fix", "fix/code", "fix/review", "ship"));

    assertThat(g.nodes()).containsExactly("prep", "fix", "fix/code", "fix/review", "ship");
    assertThat(g.edges())
        .containsExactlyInAnyOrder(
            new Edge("prep", "fix"),
            new Edge("fix", "ship"),
            new Edge("fix", "fix/code"),
            new Edge("fix/code", "fix/review"));
  }

  @Test
  void hangsInnerNodesOffTheirComposedNodeWhenTheUsedFileIsGone() {
    RunInfo info =
        new RunInfo(
            "20261123-120000-abcd",
            "outer",
            dir.resolve("outer.yaml").toString(),
            OUTER,
            Map.of(),
            Runs.START);

    ReportGraph g = ReportGraph.of(info, result("prep", "fix", "fix/code", "fix/review", "ship"));

    assertThat(g.edges())
        .containsExactlyInAnyOrder(
            new Edge("prep", "fix"),
            new Edge("fix", "ship"),
            new Edge("fix", "fix/code"),
            new Edge("fix", "fix/review"));
    assertThat(LayeredLayout.layout(g, LayeredLayout.Options.defaults()).boxes()).hasSize(5);
  }

  @Test
  void dropsEdgesToNodesTheResultDoesNotHave() {
    RunInfo info = new RunInfo("20261123-120000-abcd", "outer", null, OUTER, Map.of(), Runs.START);

    assertThat(ReportGraph.of(info, result("prep", "ship")).edges()).isEqualTo(List.of());
  }
}
