package dev.orchestra.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.RunInfo;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSnapshotsTest {
  private static final String RUN = "20261203-120000-abcd";
  private static final String TEXT =
      """
      version: 1
      name: demo
      defaults: {agent: command, attempts: 2}
      nodes:
        ship: {needs: [build], command: "true"}
        build: {command: "true"}
        lint: {command: "true"}
      """;

  @Test
  void snapshotsARunTheSameFromItsRecordedPlanAsFromItsWorkflowsText() {
    RunInfo old = new RunInfo(RUN, "demo", "flow.yaml", TEXT, Map.of(), Instant.EPOCH);
    RunInfo recorded =
        old.withPlan(
            RunPlan.of(WorkflowParser.create().parse(Path.of("flow.yaml"), TEXT).workflow()));
    List<RecordedEvent> events =
        List.of(
            new RecordedEvent(1, Instant.EPOCH, RUN, new Event.RunStarted("demo", Map.of(), false)),
            new RecordedEvent(2, Instant.EPOCH, RUN, new Event.NodeStarted("build", 1)));

    assertThat(RunSnapshots.snapshot(recorded, events, true))
        .isEqualTo(RunSnapshots.snapshot(old, events, true));
    assertThat(RunSnapshots.summary(recorded, events, false))
        .isEqualTo(RunSnapshots.summary(old, events, false));
    assertThat(RunSnapshots.state(recorded, events).nodes()).hasSize(3);
  }
}
