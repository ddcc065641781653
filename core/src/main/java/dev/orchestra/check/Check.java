package dev.orchestra.check;

/**
 * A condition a node's work must meet (docs/checks.md). Failures are values, not exceptions.
 * Implementations are immutable and thread-safe; see {@code Checks} for the built-in ones.
 */
public interface Check {

  /** The display name used in events and feedback. */
  String name();

  /** Runs the check; blocks until it has an answer. */
  CheckResult run(CheckContext context) throws InterruptedException;
}
