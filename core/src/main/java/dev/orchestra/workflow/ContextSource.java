package dev.orchestra.workflow;

/** Something whose content is added to a node's prompt under a heading naming it. */
public sealed interface ContextSource {

  /** Files in the workspace matching a glob. */
  record FileContext(String glob) implements ContextSource {}

  /** A document fetched over HTTP(S), size-capped. */
  record UrlContext(String url) implements ContextSource {}

  /** The output of an upstream node. */
  record NodeContext(String node) implements ContextSource {}
}
