package dev.orchestra.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final Instant T = Instant.parse("2026-11-23T22:15:30.123Z");
  private static final Usage USAGE = new Usage(1200, 340, new BigDecimal("0.0123"));

  @Test
  void roundTripsEveryEventType() {
    List<Event> events =
        List.of(
            new Event.RunStarted("demo", Map.of("task", "x y"), true),
            new Event.NodeStarted("review/lint", 2),
            new Event.NodeOutput("a", "stderr", "line with \"quotes\" and ünïcode"),
            new Event.NodeChecking("a", 1),
            new Event.CheckFinished("a", "run: mvn test", false, "1 failure"),
            new Event.NodeRetrying("a", 2, 1500, "check 'run: mvn test' failed"),
            new Event.NodeRateLimited("a", 3, 30000, "rate limited"),
            new Event.NodeWaitingApproval("deploy", "Deploy v2?", List.of("alice", "ops")),
            new Event.NodeWaitingApproval("deploy", "Anyone?", List.of()),
            new Event.NodeApproved("deploy", "alice", "ship it", T.minusSeconds(5)),
            new Event.NodeRejected("deploy", "bob", null, T),
            new Event.NodeFinished("a", NodeStatus.TIMED_OUT, 3, 90000, "timed out", USAGE, "out"),
            new Event.NodeFinished("b", NodeStatus.SUCCEEDED, 1, 5, null, Usage.ZERO, null),
            new Event.RunFinished(RunStatus.FAILED, USAGE, "nodes did not succeed: a"));
    long seq = 0;
    for (Event e : events) {
      RecordedEvent recorded = new RecordedEvent(++seq, T, "20261123-221530-3fa2", e);
      String json = EventJson.encode(recorded);
      assertThat(json).doesNotContain("\n");
      assertThat(EventJson.decode(json)).isEqualTo(recorded);
    }
  }

  @Test
  void writesOneFlatSnakeCaseObjectWithoutNullFields() {
    String json =
        EventJson.encode(
            new RecordedEvent(
                7,
                T,
                "r1",
                new Event.NodeFinished("a", NodeStatus.SUCCEEDED, 1, 42, null, USAGE, "done")));
    assertThat(json)
        .isEqualTo(
            "{\"seq\":7,\"time\":\"2026-11-23T22:15:30.123Z\",\"run\":\"r1\",\"type\":\"node_finished\","
                + "\"node\":\"a\",\"status\":\"succeeded\",\"attempts\":1,\"duration_ms\":42,"
                + "\"usage\":{\"input_tokens\":1200,\"output_tokens\":340,\"cost_usd\":0.0123},"
                + "\"output\":\"done\"}");
    assertThat(EventJson.encode(new RecordedEvent(1, T, "r1", new Event.NodeStarted("a", 1))))
        .isEqualTo(
            "{\"seq\":1,\"time\":\"2026-11-23T22:15:30.123Z\",\"run\":\"r1\",\"type\":\"node_started\","
                + "\"node\":\"a\",\"attempt\":1}");
  }

  @Test
  void marksAnEstimatedCostAndReadsItBack() {
    Usage estimated = new Usage(10, 5, new BigDecimal("0.002"), true);
    String json =
        EventJson.encode(
            new RecordedEvent(
                2, T, "r1", new Event.RunFinished(RunStatus.SUCCEEDED, estimated, null)));
    assertThat(json)
        .contains(
            "\"usage\":{\"input_tokens\":10,\"output_tokens\":5,\"cost_usd\":0.002,"
                + "\"cost_estimated\":true}");
    Event back = EventJson.decode(json).event();
    assertThat(((Event.RunFinished) back).usage()).isEqualTo(estimated);
    assertThat(estimated.plus(USAGE).costEstimated()).isTrue();
    assertThat(USAGE.plus(USAGE).costEstimated()).isFalse();
  }

  @Test
  void rejectsATornLineWithAClearMessage() {
    assertThatThrownBy(() -> EventJson.decode("{\"seq\":3,\"time\":\"2026-"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageStartingWith("not a JSON event");
    assertThatThrownBy(
            () ->
                EventJson.decode(
                    "{\"seq\":3,\"time\":\"2026-11-23T22:15:30Z\",\"run\":\"r\",\"type\":\"odd\"}"))
        .hasMessageContaining("unknown event type 'odd'");
  }

  @Test
  void writesTheApprovalEventsWithTheirSnakeCaseFields() {
    assertThat(
            EventJson.encode(
                new RecordedEvent(
                    4,
                    T,
                    "r1",
                    new Event.NodeWaitingApproval("deploy", "Deploy v2?", List.of("alice")))))
        .isEqualTo(
            "{\"seq\":4,\"time\":\"2026-11-23T22:15:30.123Z\",\"run\":\"r1\","
                + "\"type\":\"node_waiting_approval\",\"node\":\"deploy\","
                + "\"message\":\"Deploy v2?\",\"approvers\":[\"alice\"]}");
    assertThat(
            EventJson.encode(
                new RecordedEvent(
                    5, T, "r1", new Event.NodeRejected("deploy", "bob", "not today", T))))
        .isEqualTo(
            "{\"seq\":5,\"time\":\"2026-11-23T22:15:30.123Z\",\"run\":\"r1\","
                + "\"type\":\"node_rejected\",\"node\":\"deploy\",\"by\":\"bob\","
                + "\"comment\":\"not today\",\"decided_at\":\"2026-11-23T22:15:30.123Z\"}");
  }
}
