package dev.orchestra.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.event.Usage;
import dev.orchestra.store.NodeResult;

/**
 * A node's end as the {@code orchestra.node-result/v1} document {@code node exec --result FILE}
 * writes (core's {@code dev/orchestra/plan/node-result.schema.json}): status, attempts, duration,
 * the reason in one line, and the usage. Stateless.
 */
public final class NodeResultJson {
  /** The format and version this writes. */
  public static final String FORMAT = "orchestra.node-result/v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeResultJson() {}

  /** The document for {@code result} of {@code runId}, on one line. */
  public static String of(String runId, NodeResult result) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("format", FORMAT);
    o.put("run", runId);
    o.put("node", result.node());
    o.put("status", result.status().wireName());
    o.put("attempts", result.attempts());
    o.put("duration_ms", Math.max(0, result.durationMs()));
    o.put("reason", oneLine(result.reason()));
    Usage u = result.usage();
    ObjectNode usage = o.putObject("usage");
    usage.put("input_tokens", u.inputTokens());
    usage.put("output_tokens", u.outputTokens());
    usage.put("cost_usd", u.costUsd());
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a node result is always JSON", e);
    }
  }

  private static String oneLine(String text) {
    return text == null ? null : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
