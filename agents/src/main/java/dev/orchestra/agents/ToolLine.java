package dev.orchestra.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-line summary of an agent's tool call for the live view: {@code tool Write src/App.java}, at
 * most {@value #MAX} characters. Paths under the node's workspace are shown relative to it, as the
 * user wrote them. Stateless.
 */
public final class ToolLine {
  /** The longest line shown; a longer one ends in {@code …}. */
  public static final int MAX = 160;

  private ToolLine() {}

  /**
   * {@code tool TOOL DETAIL}, where the detail is the first line of the first of {@code keys} that
   * {@code input} (the call's parameters) has as non-blank text; {@code tool TOOL} without one.
   */
  public static String of(String tool, JsonNode input, List<String> keys, Path workspace) {
    for (String key : keys) {
      JsonNode v = input.path(key);
      if (v.isTextual() && !v.asText().isBlank()) {
        String first = v.asText().strip().lines().findFirst().orElse("");
        return shorten("tool " + tool + " " + relative(first, workspace));
      }
    }
    return shorten("tool " + tool);
  }

  /** {@code path} relative to {@code workspace} when it is an absolute path under it. */
  public static String relative(String path, Path workspace) {
    if (workspace == null || !path.startsWith("/")) {
      return path;
    }
    String root = workspace.toAbsolutePath().normalize().toString();
    return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
  }

  /** {@code line} cut to {@value #MAX} characters, the last of them {@code …}. */
  public static String shorten(String line) {
    return line.length() <= MAX ? line : line.substring(0, MAX - 1) + "…";
  }
}
