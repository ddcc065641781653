package dev.orchestra.workflow;

/** Where a named node output comes from, read after the node's checks pass. */
public sealed interface OutputSpec {
  /** The workspace-relative path the output is read from. */
  String path();

  /** A text file's content. */
  record FileOutput(String path) implements OutputSpec {}

  /** A JSON file's content; it must parse as JSON. */
  record JsonOutput(String path) implements OutputSpec {}
}
