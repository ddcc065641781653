package dev.orchestra.workflow;

/** Where a node's agent runs. */
public enum ExecutorKind {
  LOCAL,
  DOCKER
}
