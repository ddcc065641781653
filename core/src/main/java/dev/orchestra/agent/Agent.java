package dev.orchestra.agent;

/**
 * An agent kind ({@code command}, {@code claude}, {@code codex}, {@code gemini}): turns one attempt
 * of a node into a process to run and a reader of its output. The engine runs the process with the
 * node's {@link dev.orchestra.exec.Executor}, enforces timeouts and budgets, and kills it on
 * cancel. Implementations are stateless and thread-safe.
 */
public interface Agent {

  /** The name used in workflow files ({@code agent: NAME}). */
  String name();

  /**
   * Prepares one attempt; may write files into {@link AgentRequest#attemptDir()}.
   *
   * @throws dev.orchestra.OrchestraException.LaunchException when the agent cannot run (e.g. its
   *     CLI is not installed), with the remedy in the message
   */
  AgentLaunch prepare(AgentRequest request);
}
