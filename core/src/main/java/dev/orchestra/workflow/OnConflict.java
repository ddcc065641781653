package dev.orchestra.workflow;

/**
 * What a node does when the branches of the nodes it needs conflict as they are merged into its
 * workspace ({@code on_conflict}, for {@code isolation: branch}). The file writes the constants in
 * lower case.
 */
public enum OnConflict {
  /** The node fails, naming the conflicting files. */
  FAIL,
  /** The node's agent is asked to resolve the conflict before its task. */
  AGENT
}
