package dev.orchestra.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Lenient parsing of the JSON-lines event streams the agent CLIs print ({@code stream-json}, {@code
 * --json}): a line that is a JSON object is an event; anything else (a warning, a progress message,
 * a truncated line) is plain output and never an error. Thread-safe.
 */
public final class JsonStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonStream() {}

  /** The line as a JSON object, or empty when it is not one. */
  public static Optional<ObjectNode> event(String line) {
    if (line == null) {
      return Optional.empty();
    }
    String s = line.strip();
    if (s.isEmpty() || s.charAt(0) != '{') {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(s);
      return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** The text at {@code field} of {@code node}, or {@code null} when missing or not a value. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  /** The number at {@code field} of {@code node}, or 0 when missing or not a number. */
  public static long number(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isNumber() ? v.asLong() : 0;
  }

  /** The shared mapper (configured once; do not reconfigure). */
  public static ObjectMapper mapper() {
    return JSON;
  }
}
