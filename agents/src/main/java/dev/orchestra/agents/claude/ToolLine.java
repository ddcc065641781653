package dev.orchestra.agents.claude;

import com.fasterxml.jackson.databind.JsonNode;

/** A one-line summary of a tool call for the live view: {@code tool Write src/App.java}. */
final class ToolLine {
  private static final int MAX = 160;
  private static final String[] KEYS = {
    "file_path", "path", "notebook_path", "command", "pattern", "url", "description", "prompt"
  };

  private ToolLine() {}

  static String of(String tool, JsonNode input) {
    String detail = "";
    for (String key : KEYS) {
      JsonNode v = input.path(key);
      if (v.isTextual() && !v.asText().isBlank()) {
        detail = v.asText().strip().lines().findFirst().orElse("");
        break;
      }
    }
    String line = detail.isEmpty() ? "tool " + tool : "tool " + tool + " " + detail;
    return line.length() <= MAX ? line : line.substring(0, MAX - 1) + "…";
  }
}
