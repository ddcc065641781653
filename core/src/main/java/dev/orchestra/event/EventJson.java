package dev.orchestra.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event.CheckFinished;
import dev.orchestra.event.Event.NodeApproved;
import dev.orchestra.event.Event.NodeChecking;
import dev.orchestra.event.Event.NodeFinished;
import dev.orchestra.event.Event.NodeOutput;
import dev.orchestra.event.Event.NodeRateLimited;
import dev.orchestra.event.Event.NodeRejected;
import dev.orchestra.event.Event.NodeRetrying;
import dev.orchestra.event.Event.NodeStarted;
import dev.orchestra.event.Event.NodeWaitingApproval;
import dev.orchestra.event.Event.RunFinished;
import dev.orchestra.event.Event.RunStarted;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@link RecordedEvent}s (docs/runs.md, "Events"): one flat object per event with
 * snake_case fields {@code seq, time, run, type, node} followed by the fields of the event's type;
 * {@code usage} in the form of {@link UsageJson} (a missing one reads as zero). Null fields are
 * omitted. This is the format of {@code events.jsonl}, of {@code orchestra run --json} and of the
 * server's event stream, published as {@code dev/orchestra/event/event.schema.json} (the web UI's
 * types are generated from it; {@code EventSchemaTest} keeps it true to this class).
 *
 * <p>Thread-safe; encoding writes with a streaming generator so that an event costs a few
 * microseconds.
 */
public final class EventJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  // Costs are decimals: reading them as doubles would turn 0.1 into 0.1000000000000000055….
  private static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private EventJson() {}

  /** The event as one line of JSON, without a line break. */
  public static String encode(RecordedEvent recorded) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("seq", recorded.seq());
      g.writeStringField("time", recorded.time().toString());
      g.writeStringField("run", recorded.run());
      Event event = recorded.event();
      g.writeStringField("type", event.type());
      string(g, "node", event.node());
      writeFields(g, event);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode event " + recorded.seq(), e);
    }
    return out.toString();
  }

  private static void writeFields(JsonGenerator g, Event event) throws IOException {
    if (event instanceof RunStarted e) {
      string(g, "workflow", e.workflow());
      g.writeObjectFieldStart("inputs");
      for (Map.Entry<String, String> input : e.inputs().entrySet()) {
        g.writeStringField(input.getKey(), input.getValue());
      }
      g.writeEndObject();
      if (e.resumed()) {
        g.writeBooleanField("resumed", true);
      }
    } else if (event instanceof NodeStarted e) {
      g.writeNumberField("attempt", e.attempt());
    } else if (event instanceof NodeOutput e) {
      string(g, "stream", e.stream());
      string(g, "text", e.text());
    } else if (event instanceof NodeChecking e) {
      g.writeNumberField("attempt", e.attempt());
    } else if (event instanceof CheckFinished e) {
      string(g, "check", e.check());
      g.writeBooleanField("passed", e.passed());
      string(g, "output", e.output());
    } else if (event instanceof NodeRetrying e) {
      g.writeNumberField("attempt", e.attempt());
      g.writeNumberField("delay_ms", e.delayMs());
      string(g, "reason", e.reason());
    } else if (event instanceof NodeRateLimited e) {
      g.writeNumberField("attempt", e.attempt());
      g.writeNumberField("delay_ms", e.delayMs());
      string(g, "reason", e.reason());
    } else if (event instanceof NodeWaitingApproval e) {
      string(g, "message", e.message());
      g.writeArrayFieldStart("approvers");
      for (String a : e.approvers()) {
        g.writeString(a);
      }
      g.writeEndArray();
    } else if (event instanceof NodeApproved e) {
      decision(g, e.by(), e.comment(), e.decidedAt());
    } else if (event instanceof NodeRejected e) {
      decision(g, e.by(), e.comment(), e.decidedAt());
    } else if (event instanceof NodeFinished e) {
      g.writeStringField("status", e.status().wireName());
      g.writeNumberField("attempts", e.attempts());
      g.writeNumberField("duration_ms", e.durationMs());
      string(g, "reason", e.reason());
      UsageJson.write(g, e.usage());
      string(g, "output", e.output());
    } else if (event instanceof RunFinished e) {
      g.writeStringField("status", e.status().wireName());
      UsageJson.write(g, e.usage());
      string(g, "reason", e.reason());
    }
  }

  private static void decision(JsonGenerator g, String by, String comment, Instant at)
      throws IOException {
    string(g, "by", by);
    string(g, "comment", comment);
    if (at != null) {
      g.writeStringField("decided_at", at.toString());
    }
  }

  private static void string(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  /**
   * Parses one line written by {@link #encode}.
   *
   * @throws OrchestraException when the line is not a complete event, naming what is wrong
   */
  public static RecordedEvent decode(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new OrchestraException("not a JSON event: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new OrchestraException("not a JSON event object: " + abbreviate(line));
    }
    try {
      return new RecordedEvent(
          required(n, "seq").asLong(),
          Instant.parse(required(n, "time").asText()),
          required(n, "run").asText(),
          decodeEvent(n));
    } catch (RuntimeException e) {
      if (e instanceof OrchestraException) {
        throw e;
      }
      throw new OrchestraException(
          "malformed event " + abbreviate(line) + ": " + e.getMessage(), e);
    }
  }

  private static Event decodeEvent(JsonNode n) {
    String type = required(n, "type").asText();
    String node = text(n, "node");
    return switch (type) {
      case "run_started" -> new RunStarted(text(n, "workflow"), inputs(n), bool(n, "resumed"));
      case "node_started" -> new NodeStarted(node, required(n, "attempt").asInt());
      case "node_output" -> new NodeOutput(node, text(n, "stream"), text(n, "text"));
      case "node_checking" -> new NodeChecking(node, required(n, "attempt").asInt());
      case "check_finished" ->
          new CheckFinished(node, text(n, "check"), bool(n, "passed"), text(n, "output"));
      case "node_retrying" ->
          new NodeRetrying(
              node, required(n, "attempt").asInt(), n.path("delay_ms").asLong(), text(n, "reason"));
      case "node_rate_limited" ->
          new NodeRateLimited(
              node, required(n, "attempt").asInt(), n.path("delay_ms").asLong(), text(n, "reason"));
      case "node_waiting_approval" ->
          new NodeWaitingApproval(node, text(n, "message"), strings(n, "approvers"));
      case "node_approved" ->
          new NodeApproved(node, text(n, "by"), text(n, "comment"), instant(n, "decided_at"));
      case "node_rejected" ->
          new NodeRejected(node, text(n, "by"), text(n, "comment"), instant(n, "decided_at"));
      case "node_finished" ->
          new NodeFinished(
              node,
              NodeStatus.fromWire(required(n, "status").asText()),
              n.path("attempts").asInt(),
              n.path("duration_ms").asLong(),
              text(n, "reason"),
              UsageJson.read(n.get(UsageJson.FIELD)),
              text(n, "output"));
      case "run_finished" ->
          new RunFinished(
              RunStatus.fromWire(required(n, "status").asText()),
              UsageJson.read(n.get(UsageJson.FIELD)),
              text(n, "reason"));
      default -> throw new OrchestraException("unknown event type '" + type + "'");
    };
  }

  private static Map<String, String> inputs(JsonNode n) {
    Map<String, String> inputs = new LinkedHashMap<>();
    n.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
    return inputs;
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    n.path(field).forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Instant instant(JsonNode n, String field) {
    String t = text(n, field);
    return t == null ? null : Instant.parse(t);
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new OrchestraException("event lacks the field '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static boolean bool(JsonNode n, String field) {
    return n.path(field).asBoolean(false);
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "…";
  }
}
