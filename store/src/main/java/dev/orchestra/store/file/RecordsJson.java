package dev.orchestra.store.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.event.UsageJson;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.Branch;
import dev.orchestra.store.Decision;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of {@code run.json}, {@code result.json}, {@code summary.json}, the lines of
 * {@code attempts.jsonl}, the per-attempt JSON records and a node's {@code approval.json}.
 */
final class RecordsJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ObjectWriter LINE =
      MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private RecordsJson() {}

  static String runInfo(RunInfo info) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", info.id());
    n.put("workflow", info.workflow());
    if (info.workflowFile() != null) {
      n.put("workflow_file", info.workflowFile());
    }
    n.put("started", info.started().toString());
    ObjectNode inputs = n.putObject("inputs");
    info.inputs().forEach(inputs::put);
    return write(n);
  }

  static RunInfo runInfo(String json, String workflowText) {
    JsonNode n = read(json);
    return new RunInfo(
        n.path("id").asText(),
        n.path("workflow").asText(),
        text(n, "workflow_file"),
        workflowText,
        strings(n.path("inputs")),
        Instant.parse(n.path("started").asText()));
  }

  static String result(RunResult r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("run", r.runId());
    n.put("workflow", r.workflow());
    n.put("status", r.status().wireName());
    if (r.reason() != null) {
      n.put("reason", r.reason());
    }
    n.put("started", r.started().toString());
    n.put("finished", r.finished().toString());
    n.put("duration_ms", r.duration().toMillis());
    UsageJson.put(n, r.usage());
    ObjectNode nodes = n.putObject("nodes");
    Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
    for (NodeResult node : r.nodes().values()) {
      counts.merge(node.status(), 1, Integer::sum);
      ObjectNode o = nodes.putObject(node.node());
      o.put("status", node.status().wireName());
      o.put("attempts", node.attempts());
      o.put("duration_ms", node.durationMs());
      UsageJson.put(o, node.usage());
      if (node.reason() != null) {
        o.put("reason", node.reason());
      }
      if (node.output() != null) {
        o.put("output", node.output());
      }
      if (!node.outputs().isEmpty()) {
        ObjectNode outputs = o.putObject("outputs");
        node.outputs().forEach(outputs::put);
      }
      branch(o, node.branch());
    }
    ObjectNode totals = n.putObject("totals");
    totals.put("nodes", r.nodes().size());
    counts.forEach((status, count) -> totals.put(status.wireName(), count));
    UsageJson.put(totals, r.usage());
    branch(n, r.branch());
    if (r.checkout() != null) {
      n.put("checkout", r.checkout());
    }
    return write(n);
  }

  private static void branch(ObjectNode n, Branch branch) {
    if (branch != null) {
      ObjectNode b = n.putObject("branch");
      b.put("name", branch.name());
      b.put("commit", branch.commit());
    }
  }

  private static Branch branch(JsonNode n) {
    JsonNode b = n.get("branch");
    return b == null || !b.isObject()
        ? null
        : new Branch(b.path("name").asText(), b.path("commit").asText());
  }

  static RunResult result(String json) {
    JsonNode n = read(json);
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    n.path("nodes")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode o = e.getValue();
              nodes.put(
                  e.getKey(),
                  new NodeResult(
                      e.getKey(),
                      NodeStatus.fromWire(o.path("status").asText()),
                      o.path("attempts").asInt(),
                      o.path("duration_ms").asLong(),
                      UsageJson.read(o.get(UsageJson.FIELD)),
                      text(o, "output"),
                      text(o, "reason"),
                      strings(o.path("outputs")),
                      branch(o)));
            });
    return new RunResult(
        n.path("run").asText(),
        n.path("workflow").asText(),
        RunStatus.fromWire(n.path("status").asText()),
        text(n, "reason"),
        Instant.parse(n.path("started").asText()),
        Instant.parse(n.path("finished").asText()),
        UsageJson.read(n.get(UsageJson.FIELD)),
        nodes,
        branch(n),
        text(n, "checkout"));
  }

  /**
   * A finished run's {@code summary.json}: what a listing shows of it, from {@code run.json} and
   * the totals of its result, so that listing many runs reads one small file each.
   */
  static String summary(RunInfo info, RunResult r) {
    RunListing.Ending ending = RunListing.Ending.of(r);
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", info.id());
    n.put("workflow", info.workflow());
    n.put("started", info.started().toString());
    n.put("status", r.status().wireName());
    n.put("finished", ending.finished().toString());
    n.put("duration_ms", ending.duration().toMillis());
    n.put("nodes", ending.nodes());
    n.put("succeeded", ending.succeeded());
    UsageJson.put(n, ending.usage());
    return write(n);
  }

  /**
   * The listing of run {@code id} (its directory's name, as for runs without a summary) whose
   * {@code summary.json} is {@code json}.
   */
  static RunListing summary(String json, String id, boolean active) {
    JsonNode n = read(json);
    return new RunListing(
        new RunSummary(
            id,
            n.path("workflow").asText(),
            Instant.parse(n.path("started").asText()),
            RunStatus.fromWire(n.path("status").asText()),
            active),
        new RunListing.Ending(
            Instant.parse(n.path("finished").asText()),
            Duration.ofMillis(n.path("duration_ms").asLong()),
            n.path("nodes").asInt(),
            n.path("succeeded").asInt(),
            UsageJson.read(n.get(UsageJson.FIELD))));
  }

  static String check(CheckResult c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("check", c.check());
    n.put("passed", c.passed());
    n.put("output", c.output());
    return write(n);
  }

  static CheckResult check(String json) {
    JsonNode n = read(json);
    return new CheckResult(
        n.path("check").asText(), n.path("passed").asBoolean(), text(n, "output"));
  }

  /** One line of {@code processes.jsonl}. */
  static String process(ProcessGroup group) {
    return line(processNode(group));
  }

  private static ObjectNode processNode(ProcessGroup group) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("pgid", group.id());
    n.put("started", group.started().toString());
    if (group.tag() != null) {
      n.put("tag", group.tag());
    }
    if (!group.pipes().isEmpty()) {
      group.pipes().forEach(n.putArray("pipes")::add);
    }
    return n;
  }

  /** {@code n} on one line, with its line break. */
  private static String line(JsonNode n) {
    try {
      return LINE.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new OrchestraException("cannot write JSON record", e);
    }
  }

  /** A process group as {@link #processNode} writes it, or {@code null} when incomplete. */
  private static ProcessGroup processGroup(JsonNode n) {
    if (n == null || !n.path("pgid").canConvertToLong() || !n.path("started").isTextual()) {
      return null;
    }
    return new ProcessGroup(
        n.path("pgid").asLong(),
        Instant.parse(n.path("started").asText()),
        n.path("tag").isTextual() ? n.path("tag").asText() : null,
        pipes(n.path("pipes")));
  }

  /**
   * A line of {@code attempts.jsonl} ({@link AttemptFacts}): a process group the attempt started.
   */
  static String attemptProcess(String node, int attempt, ProcessGroup group) {
    ObjectNode n = attemptLine(node, attempt);
    n.set("process", processNode(group));
    return line(n);
  }

  /** A line of {@code attempts.jsonl}: the attempt ended, having spent {@code usage} (or null). */
  static String attemptEnded(String node, int attempt, Usage usage) {
    ObjectNode n = attemptLine(node, attempt);
    n.put("ended", true);
    if (usage != null) {
      UsageJson.put(n, usage);
    }
    return line(n);
  }

  private static ObjectNode attemptLine(String node, int attempt) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("node", node);
    n.put("attempt", attempt);
    return n;
  }

  /** What one line of {@code attempts.jsonl} says. */
  record AttemptFact(String node, int attempt, AttemptFacts.Facts facts) {}

  /** One line of {@code attempts.jsonl}, or {@code null} when it does not parse (a torn line). */
  static AttemptFact attemptFact(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      if (n == null || !n.path("node").isTextual() || !n.path("attempt").canConvertToInt()) {
        return null;
      }
      ProcessGroup group = n.has("process") ? processGroup(n.get("process")) : null;
      Usage usage = n.has(UsageJson.FIELD) ? UsageJson.read(n.get(UsageJson.FIELD)) : null;
      return new AttemptFact(
          n.path("node").asText(),
          n.path("attempt").asInt(),
          new AttemptFacts.Facts(group == null ? List.of() : List.of(group), usage));
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The process groups of {@code processes.jsonl}. A line that does not parse (torn by a crash
   * while it was written) is left out.
   */
  static List<ProcessGroup> processes(String jsonl) {
    List<ProcessGroup> groups = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      try {
        ProcessGroup group = processGroup(MAPPER.readTree(line));
        if (group != null) {
          groups.add(group);
        }
      } catch (JsonProcessingException | RuntimeException e) {
        // A torn line: the process was killed before its group was fully recorded.
      }
    }
    return groups;
  }

  private static List<String> pipes(JsonNode array) {
    List<String> pipes = new ArrayList<>();
    array.forEach(p -> pipes.add(p.asText()));
    return pipes;
  }

  static String strings(Map<String, String> map) {
    ObjectNode n = MAPPER.createObjectNode();
    map.forEach(n::put);
    return write(n);
  }

  static Map<String, String> strings(String json) {
    return strings(read(json));
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> map = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /**
   * A node's {@code approval.json}: {@code {node, decision: approved|rejected, by, comment?,
   * time}}. The node id is in the file because directory names encode it.
   */
  static String decision(String node, Decision d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("node", node);
    n.put("decision", d.verb());
    n.put("by", d.by());
    if (d.comment() != null) {
      n.put("comment", d.comment());
    }
    n.put("time", d.time().toString());
    return write(n);
  }

  /** The node id of an {@code approval.json}. */
  static String decisionNode(String json) {
    return read(json).path("node").asText();
  }

  static Decision decision(String json) {
    JsonNode n = read(json);
    String verdict = n.path("decision").asText();
    if (!verdict.equals("approved") && !verdict.equals("rejected")) {
      throw new OrchestraException(
          "unreadable approval record: decision must be approved or rejected, was '"
              + verdict
              + "'");
    }
    return new Decision(
        verdict.equals("approved"),
        n.path("by").asText(),
        text(n, "comment"),
        Instant.parse(n.path("time").asText()));
  }

  /** One attempt's {@code usage.json}: the fields of {@code usage} in events. */
  static String usage(Usage usage) {
    ObjectNode n = MAPPER.createObjectNode();
    UsageJson.put(n, usage);
    return write(n.get(UsageJson.FIELD));
  }

  static Usage usage(String json) {
    return UsageJson.read(read(json));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new OrchestraException("cannot write JSON record", e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new OrchestraException("unreadable JSON record: " + e.getOriginalMessage(), e);
    }
  }
}
