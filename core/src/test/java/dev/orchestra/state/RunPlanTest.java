package dev.orchestra.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlanTest {
  @TempDir Path dir;

  private RunPlan plan() throws Exception {
    Files.writeString(
        dir.resolve("inner.yaml"),
        """
        version: 1
        name: inner
        defaults: {agent: command, executor: docker, image: inner:1}
        nodes:
          code: {command: "true"}
        """);
    Path file = dir.resolve("outer.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: outer
        defaults: {agent: command, attempts: 2, executor: docker, image: box:1}
        nodes:
          ship: {needs: [fix], command: "true", executor: local}
          fix: {needs: [prep], uses: inner.yaml}
          tight:
            command: "true"
            docker: {cpus: 0.5, memory: 256m, network: none, mounts: ["data:/data:ro"],
                     pids_limit: 64, capabilities: [NET_RAW], no_new_privileges: false}
          prep: {command: "true", attempts: 1}
        """);
    // Parsed only: an untrusted workflow may not give its containers NET_RAW, and no check is
    // wanted.
    return RunPlan.of(WorkflowParser.create().parse(file).workflow());
  }

  @Test
  void plansTheNodesInTheirOrderAndTheContainerNodesInFileOrderWithTheirDefaults()
      throws Exception {
    RunPlan plan = plan();

    assertThat(plan.nodes())
        .containsExactly(
            new PlannedNode("tight", List.of(), "command", 2),
            new PlannedNode("prep", List.of(), "command", 1),
            new PlannedNode("fix", List.of("prep"), PlannedNode.COMPOSED, 2),
            new PlannedNode("ship", List.of("fix"), "command", 2));
    assertThat(plan.containers())
        .extracting(RunPlan.Container::node)
        .containsExactly("tight", "prep");
    assertThat(plan.containers().get(0).image()).isEqualTo("box:1");
    assertThat(plan.containers().get(0).docker().describe())
        .isEqualTo(
            new DockerOptions(
                    0.5, "256m", "none", List.of("data:/data:ro"), 64L, List.of("NET_RAW"), false)
                .describe());
    assertThat(plan.containers().get(1).docker())
        .isEqualTo(new DockerOptions(null, null, null, null).withDefaults());
  }

  @Test
  void readsBackWhatItWrote() throws Exception {
    RunPlan plan = plan();

    String json = RunPlanJson.encode(plan);

    assertThat(json).doesNotContain("\n");
    assertThat(RunPlanJson.decode(json)).isEqualTo(plan);
    assertThat(RunPlanJson.decode(RunPlanJson.encode(RunPlan.EMPTY))).isEqualTo(RunPlan.EMPTY);
  }

  @Test
  void keepsANodeWithoutAgentOrImage() {
    RunPlan plan =
        new RunPlan(
            List.of(PlannedNode.unplanned("a")),
            List.of(new RunPlan.Container("a", null, new DockerOptions(null, null, null, null))));

    assertThat(RunPlanJson.decode(RunPlanJson.encode(plan))).isEqualTo(plan);
  }

  @Test
  void refusesTextThatIsNoPlan() {
    assertThatThrownBy(() -> RunPlanJson.decode("{\"nodes\": 3}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unreadable run plan");
    assertThatThrownBy(() -> RunPlanJson.decode("{torn"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
