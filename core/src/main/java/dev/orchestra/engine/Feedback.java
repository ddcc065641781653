package dev.orchestra.engine;

import java.nio.charset.StandardCharsets;

/**
 * The text that tells an agent why its previous attempt was not accepted: appended to the next
 * attempt's prompt and handed to the agent as {@code AgentRequest.feedback} (the command agent
 * writes it to {@code ORCHESTRA_FEEDBACK_FILE}).
 */
final class Feedback {
  /** At most this much of a check's output is fed back (docs/checks.md). */
  static final int TAIL_BYTES = 4096;

  private Feedback() {}

  static String checkFailed(int attempt, String check, String output) {
    return "## Feedback: attempt "
        + attempt
        + " was not accepted\n\nThe check `"
        + check
        + "` failed. The end of its output:\n\n```\n"
        + tail(output)
        + "\n```\n\nFix the cause so that the check passes.";
  }

  static String agentFailed(int attempt, String message, String output) {
    return "## Feedback: attempt "
        + attempt
        + " failed\n\n"
        + message
        + (output == null || output.isBlank()
            ? ""
            : "\n\nThe end of its output:\n\n```\n" + tail(output) + "\n```")
        + "\n\nTry again and finish the task.";
  }

  /** The last {@link #TAIL_BYTES} bytes of {@code text} (UTF-8), cut at a character boundary. */
  static String tail(String text) {
    if (text == null) {
      return "";
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= TAIL_BYTES) {
      return text;
    }
    int from = bytes.length - TAIL_BYTES;
    // Skip UTF-8 continuation bytes so that no character is cut in half.
    while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
      from++;
    }
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }
}
