package dev.orchestra.exec;

/**
 * Launches processes for agents and checks: on this machine ({@code local}) or in a container
 * ({@code docker}). Implementations are thread-safe.
 */
public interface Executor {

  /**
   * Starts {@code spec}; its output lines go to {@code listener} as they arrive.
   *
   * @throws dev.orchestra.OrchestraException.LaunchException when the process cannot start
   */
  Execution start(ProcessSpec spec, OutputListener listener);
}
