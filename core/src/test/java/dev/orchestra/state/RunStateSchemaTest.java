package dev.orchestra.state;

import static dev.orchestra.event.JsonSchemas.EVENT;
import static dev.orchestra.event.JsonSchemas.JSON;
import static dev.orchestra.event.JsonSchemas.RUN_STATE;
import static dev.orchestra.event.JsonSchemas.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.JsonSchemas;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run-state.schema.json} describes the snapshot {@link RunStateJson} writes. */
class RunStateSchemaTest {
  private static final Instant T = Instant.parse("2026-12-01T21:11:50.179346942Z");

  @TempDir static Path dir;
  static RealRun run;

  @BeforeAll
  static void runIt() throws Exception {
    run = RealRun.in(dir);
  }

  @Test
  void theSnapshotOfARealRunIsValid() throws IOException {
    String json = RunStateJson.encode(run.live);

    assertThat(violations(RUN_STATE, json)).isEmpty();
    JsonNode tree = JSON.readTree(json);
    assertThat(tree.get("status").asText()).isEqualTo("failed");
    assertThat(tree.at("/nodes/2/approval/decision/verdict").asText()).isEqualTo("approved");
    assertThat(tree.at("/nodes/2/approval/decision/comment").asText()).isEqualTo("ship it");
    assertThat(tree.at("/nodes/0/duration_ms").isIntegralNumber()).isTrue();
    assertThat(tree.get("last_seq").asLong()).isEqualTo(run.recorded.size());
  }

  @Test
  void snapshotsWhileTheRunWentOnAreValid() {
    RunProjector p = RunProjector.of(run.runId, run.plan);
    List<String> problems = new ArrayList<>();
    problems.addAll(violations(RUN_STATE, RunStateJson.encode(p.state())));
    for (RecordedEvent e : run.recorded) {
      p.apply(e);
      violations(RUN_STATE, RunStateJson.encode(p.state()))
          .forEach(v -> problems.add("after " + e.seq() + ": " + v));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theEventsOfARealRunAreValid() {
    List<String> problems = new ArrayList<>();
    for (RecordedEvent e : run.recorded) {
      String json = EventJson.encode(e);
      violations(EVENT, json).forEach(v -> problems.add(json + ": " + v));
    }
    assertThat(problems).isEmpty();
  }

  /** A state with every field that can be null set, which a short real run does not reach. */
  @Test
  void aStateWithEveryFieldSetIsValid() {
    Usage u = new Usage(10, 2, new BigDecimal("0.5"), true);
    NodeState n =
        new NodeState(
            "review/ask",
            List.of("plan"),
            "claude",
            3,
            NodeStatus.RATE_LIMITED,
            2,
            T,
            T,
            Duration.ofMillis(1500),
            u,
            "why",
            "failed before",
            "rate limited: 429",
            T.plusSeconds(60),
            new Approval("Go?", List.of("alice"), new Approval.Decision(false, "bob", "no", T)));
    RunState s =
        new RunState(
            "20261201-211150-44f1",
            "wf",
            Map.of("a", "b"),
            RunStatus.CANCELLED,
            T,
            T,
            "interrupted",
            u,
            7,
            List.of(n));

    assertThat(violations(RUN_STATE, RunStateJson.encode(s))).isEmpty();
  }

  @Test
  void refusesAWrongSnapshot() throws IOException {
    ObjectNode good = (ObjectNode) JSON.readTree(RunStateJson.encode(run.live));
    assertThat(violations(RUN_STATE, good)).isEmpty();

    ObjectNode noStatus = good.deepCopy();
    ((ObjectNode) noStatus.at("/nodes/0")).remove("status");
    assertThat(violations(RUN_STATE, noStatus)).isNotEmpty();
    ObjectNode badStatus = good.deepCopy();
    ((ObjectNode) badStatus.at("/nodes/0")).put("status", "done");
    assertThat(violations(RUN_STATE, badStatus)).isNotEmpty();
    assertThat(violations(RUN_STATE, good.deepCopy().put("status", "pending"))).isNotEmpty();
    assertThat(violations(RUN_STATE, good.deepCopy().put("last_seq", -1))).isNotEmpty();
    assertThat(violations(RUN_STATE, good.deepCopy().without("nodes"))).isNotEmpty();
    ObjectNode badDecision = good.deepCopy();
    ((ObjectNode) badDecision.at("/nodes/2/approval/decision")).put("verdict", "maybe");
    assertThat(violations(RUN_STATE, badDecision)).isNotEmpty();
  }

  @Test
  void aStateWithoutARunIdHasNoJsonForm() {
    RunState none = RunProjector.of(null, run.plan).state();

    assertThatThrownBy(() -> RunStateJson.encode(none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a run id");
  }

  /** The two schemas define usage and the statuses once each; the copies must not drift apart. */
  @Test
  void sharesTheEventSchemasDefinitionsOfUsageAndStatuses() {
    JsonNode events = JsonSchemas.tree(EVENT).get("definitions");
    JsonNode state = JsonSchemas.tree(RUN_STATE).get("definitions");
    for (String name : List.of("usage", "node_status", "run_status")) {
      assertThat(state.get(name)).as(name).isEqualTo(events.get(name));
    }
  }
}
