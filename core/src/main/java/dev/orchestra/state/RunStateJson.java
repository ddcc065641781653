package dev.orchestra.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orchestra.event.UsageJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON form of a {@link RunState}: the run snapshot the server answers {@code GET
 * /api/v1/runs/{id}} with and the web UI starts from, described by {@code
 * dev/orchestra/state/run-state.schema.json}. snake_case fields; every field is present, {@code
 * null} when it has no value; times are ISO-8601, durations milliseconds, {@code usage} in the form
 * of {@link UsageJson}. Stateless and thread-safe.
 */
public final class RunStateJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private RunStateJson() {}

  /**
   * The state as one JSON object, without a line break.
   *
   * @throws IllegalArgumentException when the state has no run id (no event named one)
   */
  public static String encode(RunState state) {
    StringWriter out = new StringWriter(256 + 256 * state.nodes().size());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the state of run " + state.id(), e);
    }
    return out.toString();
  }

  /**
   * Writes the state as one object to {@code g} (e.g. a server's response stream).
   *
   * @throws IllegalArgumentException when the state has no run id (no event named one)
   */
  public static void write(JsonGenerator g, RunState s) throws IOException {
    if (s.id() == null) {
      throw new IllegalArgumentException(
          "a run state without a run id has no JSON form: give the projector the run's id");
    }
    g.writeStartObject();
    g.writeStringField("id", s.id());
    g.writeStringField("workflow", s.workflow());
    g.writeStringField("status", s.status().wireName());
    time(g, "started", s.started());
    time(g, "finished", s.finished());
    g.writeStringField("reason", s.reason());
    g.writeObjectFieldStart("inputs");
    for (Map.Entry<String, String> input : s.inputs().entrySet()) {
      g.writeStringField(input.getKey(), input.getValue());
    }
    g.writeEndObject();
    UsageJson.write(g, s.usage());
    g.writeNumberField("last_seq", s.lastSeq());
    g.writeArrayFieldStart("nodes");
    for (NodeState n : s.nodes()) {
      node(g, n);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void node(JsonGenerator g, NodeState n) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", n.id());
    g.writeArrayFieldStart("needs");
    for (String need : n.needs()) {
      g.writeString(need);
    }
    g.writeEndArray();
    g.writeStringField("agent", n.agent());
    g.writeNumberField("max_attempts", n.maxAttempts());
    g.writeStringField("status", n.status().wireName());
    g.writeNumberField("attempt", n.attempt());
    time(g, "started", n.started());
    time(g, "finished", n.finished());
    if (n.duration() == null) {
      g.writeNullField("duration_ms");
    } else {
      g.writeNumberField("duration_ms", n.duration().toMillis());
    }
    UsageJson.write(g, n.usage());
    g.writeStringField("reason", n.reason());
    g.writeStringField("last_failure", n.lastFailure());
    g.writeStringField("last_line", n.lastLine());
    time(g, "waiting_until", n.waitingUntil());
    approval(g, n.approval());
    g.writeEndObject();
  }

  private static void approval(JsonGenerator g, Approval a) throws IOException {
    if (a == null) {
      g.writeNullField("approval");
      return;
    }
    g.writeObjectFieldStart("approval");
    g.writeStringField("message", a.message());
    g.writeArrayFieldStart("approvers");
    for (String approver : a.approvers()) {
      g.writeString(approver);
    }
    g.writeEndArray();
    Approval.Decision d = a.decision();
    if (d == null) {
      g.writeNullField("decision");
    } else {
      g.writeObjectFieldStart("decision");
      g.writeStringField("verdict", d.verdict());
      g.writeStringField("by", d.by());
      g.writeStringField("comment", d.comment());
      time(g, "decided_at", d.decidedAt());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void time(JsonGenerator g, String name, Instant t) throws IOException {
    if (t == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, t.toString());
    }
  }
}
