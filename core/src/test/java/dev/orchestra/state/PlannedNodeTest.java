package dev.orchestra.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannedNodeTest {
  @TempDir Path dir;

  @Test
  void listsTheNodesAfterTheNodesTheyNeedWithTheDefaultsApplied() throws Exception {
    Path file = dir.resolve("plan.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: plan
        defaults: {agent: command, attempts: 3}
        nodes:
          report: {needs: [test, lint], command: "true"}
          test: {needs: [build], command: "true", attempts: 1}
          build: {command: "true"}
          lint: {command: "true"}
        """);

    List<PlannedNode> plan = PlannedNode.of(Workflows.load(file, (Map<String, String>) null));

    assertThat(plan)
        .containsExactly(
            new PlannedNode("build", List.of(), "command", 3),
            new PlannedNode("lint", List.of(), "command", 3),
            new PlannedNode("test", List.of("build"), "command", 1),
            new PlannedNode("report", List.of("test", "lint"), "command", 3));
  }

  @Test
  void refusesANegativeNumberOfAttempts() {
    assertThatThrownBy(() -> new PlannedNode("a", List.of(), null, -1))
        .hasMessage("attempts must be >= 0, was -1");
  }
}
