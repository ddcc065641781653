package dev.orchestra.exec;

import java.time.Duration;
import java.util.Optional;

/**
 * A running process (or container) started by an {@link Executor}. Thread-safe: one thread
 * typically awaits while a watchdog or a cancel request calls {@link #kill()}.
 */
public interface Execution {

  /** Blocks until the process has ended and its output has been delivered. */
  ExitStatus await() throws InterruptedException;

  /**
   * Waits at most {@code timeout}.
   *
   * @return whether the process has ended
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Kills the process and everything it started (its whole process group or container), first
   * politely, then by force; returns within 5 seconds. Idempotent.
   */
  void kill();

  /**
   * The process group this execution started and owns, for run records that let a later process end
   * it after a crash of this one ({@link ProcessReaper}); empty when it has none of its own (a
   * container, or a machine without {@code setsid}).
   */
  default Optional<ProcessGroup> processGroup() {
    return Optional.empty();
  }
}
