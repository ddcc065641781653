package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.RunInfo;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedPlansTest {
  private static final String TEXT =
      """
      version: 1
      name: demo
      defaults: {agent: command}
      nodes:
        b: {needs: [a], command: "true", executor: docker, image: box:1}
        a: {command: "true"}
      """;

  private static RunInfo info(String text) {
    return new RunInfo("20261203-120000-abcd", "demo", "flow.yaml", text, Map.of(), Instant.EPOCH);
  }

  @Test
  void parsesTheWorkflowOfARecordWithoutAPlanIntoThePlanARunRecords() {
    RunPlan started =
        RunPlan.of(WorkflowParser.create().parse(Path.of("flow.yaml"), TEXT).workflow());

    assertThat(RecordedPlans.of(info(TEXT))).isEqualTo(started);
    assertThat(started.nodes()).extracting(PlannedNode::id).containsExactly("a", "b");
  }

  @Test
  void takesTheRecordedPlanWithoutLookingAtTheText() {
    RunPlan recorded = new RunPlan(List.of(PlannedNode.unplanned("x")), List.of());

    assertThat(RecordedPlans.of(info("version: [").withPlan(recorded))).isSameAs(recorded);
  }

  @Test
  void plansNothingForATextThatNoLongerParses() {
    assertThat(RecordedPlans.of(info("version: ["))).isEqualTo(RunPlan.EMPTY);
  }
}
