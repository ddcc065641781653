package dev.orchestra.workflow;

/** Something whose content is added to a node's prompt under a heading naming it. */
public sealed interface ContextSource {

  /** Files in the workspace matching a glob. */
  record FileContext(String glob) implements ContextSource {}

  /** A document fetched over HTTP(S), size-capped. */
  record UrlContext(String url) implements ContextSource {
    public UrlContext {
      if (!isHttp(url)) {
        throw new IllegalArgumentException(
            "a context url must start with http:// or https://, was " + url);
      }
    }

    /** Whether {@code url} is one a node may fetch: {@code http://} or {@code https://}. */
    public static boolean isHttp(String url) {
      String lower = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
      return lower.startsWith("http://") || lower.startsWith("https://");
    }
  }

  /** The output of an upstream node. */
  record NodeContext(String node) implements ContextSource {}
}
