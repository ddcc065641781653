package dev.orchestra.cli;

import dev.orchestra.event.NodeStatus;

/**
 * The exit codes of {@code orchestra node exec} (docs/pipeline-plan.md, "node exec exit codes"):
 * one per final status, all distinct from {@link ExitCode#FAILED}, so that a crashing JVM is never
 * read as a failing check.
 */
final class NodeExitCode {
  static final int FAILED = 10;
  static final int ERROR = 11;
  static final int TIMED_OUT = 12;
  static final int BUDGET_EXCEEDED = 13;
  static final int SKIPPED = 14;

  private NodeExitCode() {}

  /** The exit code for a node that ended {@code status}. */
  static int of(NodeStatus status) {
    return switch (status) {
      case SUCCEEDED -> ExitCode.OK;
      case FAILED -> FAILED;
      case ERROR -> ERROR;
      case TIMED_OUT -> TIMED_OUT;
      case BUDGET_EXCEEDED -> BUDGET_EXCEEDED;
      case SKIPPED -> SKIPPED;
      case CANCELLED -> ExitCode.INTERRUPTED;
      default -> throw new IllegalArgumentException(status.wireName() + " does not end a node");
    };
  }
}
