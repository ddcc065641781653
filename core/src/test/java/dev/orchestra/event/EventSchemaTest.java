package dev.orchestra.event;

import static dev.orchestra.event.JsonSchemas.EVENT;
import static dev.orchestra.event.JsonSchemas.JSON;
import static dev.orchestra.event.JsonSchemas.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code event.schema.json} describes every event exactly as {@link EventJson} writes it, and
 * refuses what it does not write.
 */
class EventSchemaTest {
  private static final Instant T = Instant.parse("2026-12-01T21:11:50.179346942Z");
  private static final Usage SPENT = new Usage(1200, 340, new BigDecimal("0.0123"), true);

  /**
   * Each event type with every field set, and again with the fields that may be absent left out.
   */
  static List<Event> samples() {
    return List.of(
        new Event.RunStarted("quickstart", Map.of("topic", "engines"), false),
        new Event.RunStarted(null, Map.of(), true),
        new Event.NodeStarted("outline", 1),
        new Event.NodeOutput("outline", "stdout", "line\n"),
        new Event.NodeOutput("review/ask", null, null),
        new Event.NodeChecking("outline", 2),
        new Event.CheckFinished("outline", "run: make test", true, "ok"),
        new Event.CheckFinished("outline", null, false, null),
        new Event.NodeRetrying("outline", 2, 5000, "check 'run: make test' failed"),
        new Event.NodeRetrying("outline", 3, 0, null),
        new Event.NodeRateLimited("outline", 1, 60_000, "HTTP 429"),
        new Event.NodeRateLimited("outline", 1, 0, null),
        new Event.NodeWaitingApproval("deploy", "Deploy 1.2?", List.of("alice", "bob")),
        new Event.NodeWaitingApproval("deploy", null, null),
        new Event.NodeApproved("deploy", "alice", "ship it", T),
        new Event.NodeApproved("deploy", null, null, null),
        new Event.NodeRejected("deploy", "bob", "not on a Friday", T),
        new Event.NodeRejected("deploy", null, null, null),
        new Event.NodeFinished("outline", NodeStatus.SUCCEEDED, 1, 151, null, SPENT, "done"),
        new Event.NodeFinished("report", NodeStatus.SKIPPED, 0, 0, "needs 'x'", null, null),
        new Event.RunFinished(RunStatus.FAILED, SPENT, "nodes did not succeed: report"),
        new Event.RunFinished(RunStatus.SUCCEEDED, null, null));
  }

  private static String encode(long seq, Event e) {
    return EventJson.encode(new RecordedEvent(seq, T, "20261201-211150-44f1", e));
  }

  @Test
  void everyEventTypeAsEventJsonWritesItIsValid() {
    List<String> problems = new ArrayList<>();
    long seq = 1;
    for (Event e : samples()) {
      String json = encode(seq++, e);
      violations(EVENT, json).forEach(v -> problems.add(json + ": " + v));
    }
    assertThat(problems).isEmpty();
  }

  /** A new event type fails here until it has a sample above and an entry in the schema. */
  @Test
  void theSchemaHasAnEntryForEveryEventTypeAndNoOther() {
    Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(sampled)
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(Event.class.getPermittedSubclasses()));

    Set<String> written = samples().stream().map(Event::type).collect(Collectors.toSet());
    Set<String> described = new TreeSet<>();
    JsonNode schema = JsonSchemas.tree(EVENT);
    for (JsonNode ref : schema.get("oneOf")) {
      String name = ref.get("$ref").asText().replace("#/definitions/", "");
      described.add(schema.at("/definitions/" + name + "/properties/type/const").asText());
    }
    assertThat(described).isEqualTo(new TreeSet<>(written));
  }

  @Test
  void refusesWhatEventJsonDoesNotWrite() throws IOException {
    ObjectNode started = (ObjectNode) JSON.readTree(encode(2, new Event.NodeStarted("outline", 1)));

    assertThat(violations(EVENT, started)).isEmpty();
    assertThat(violations(EVENT, started.deepCopy().without("attempt"))).isNotEmpty();
    assertThat(violations(EVENT, started.deepCopy().without("node"))).isNotEmpty();
    assertThat(violations(EVENT, started.deepCopy().put("attempt", 0))).isNotEmpty();
    assertThat(violations(EVENT, started.deepCopy().put("colour", "red"))).isNotEmpty();
    assertThat(violations(EVENT, started.deepCopy().put("type", "node_exploded"))).isNotEmpty();
    assertThat(violations(EVENT, started.deepCopy().put("time", "yesterday"))).isNotEmpty();

    ObjectNode finished =
        (ObjectNode)
            JSON.readTree(
                encode(
                    3,
                    new Event.NodeFinished(
                        "outline", NodeStatus.FAILED, 1, 5, "boom", Usage.ZERO, null)));
    assertThat(violations(EVENT, finished)).isEmpty();
    assertThat(violations(EVENT, finished.deepCopy().put("status", "exploded"))).isNotEmpty();
    assertThat(violations(EVENT, finished.deepCopy().without("usage"))).isNotEmpty();
    ObjectNode badUsage = finished.deepCopy();
    ((ObjectNode) badUsage.get("usage")).put("input_tokens", -1);
    assertThat(violations(EVENT, badUsage)).isNotEmpty();
  }
}
