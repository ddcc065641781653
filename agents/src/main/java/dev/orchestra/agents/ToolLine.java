package dev.orchestra.agents.claude;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** A one-line summary of a tool call for the live view: {@code tool Write src/App.java}. */
final class ToolLine {
  private static final int MAX = 160;
  private static final String[] KEYS = {
    "file_path", "path", "notebook_path", "command", "pattern", "url", "description", "prompt"
  };

  private ToolLine() {}

  /** Paths under {@code workspace} are shown relative to it. */
  static String of(String tool, JsonNode input, Path workspace) {
    String detail = "";
    for (String key : KEYS) {
      JsonNode v = input.path(key);
      if (v.isTextual() && !v.asText().isBlank()) {
        detail = relative(v.asText().strip().lines().findFirst().orElse(""), workspace);
        break;
      }
    }
    String line = detail.isEmpty() ? "tool " + tool : "tool " + tool + " " + detail;
    return line.length() <= MAX ? line : line.substring(0, MAX - 1) + "…";
  }

  private static String relative(String value, Path workspace) {
    if (workspace == null || !value.startsWith("/")) {
      return value;
    }
    String root = workspace.toAbsolutePath().normalize().toString();
    if (value.startsWith(root + "/")) {
      return value.substring(root.length() + 1);
    }
    return value;
  }
}
