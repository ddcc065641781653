package dev.orchestra.testing;

/**
 * One scripted answer of the model endpoint, independent of the wire protocol: each {@link
 * Protocol} renders it the way its API streams it.
 */
public sealed interface Turn {

  /**
   * A tool call that writes a file.
   *
   * @param path relative to the agent's working directory; the protocol makes it absolute where the
   *     CLI needs that
   */
  record WriteFile(String path, String content) implements Turn {}

  /** A final text answer, with the usage the endpoint reports for it. */
  record Text(String text, long inputTokens, long outputTokens) implements Turn {
    public Text(String text) {
      this(text, 10, 5);
    }
  }

  /**
   * An HTTP error instead of an answer (429, 401, 529 …).
   *
   * @param retryAfterSeconds sent as the {@code retry-after} header when not {@code null}
   * @param body the error message (wrapped in the protocol's error shape)
   */
  record Fail(int status, Integer retryAfterSeconds, String body) implements Turn {}
}
