package dev.orchestra.agent;

import dev.orchestra.workflow.NodeSpec;
import java.util.Optional;

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

  /**
   * Why this agent cannot run {@code node} here, as far as can be told before anything runs (e.g.
   * its CLI is not installed on this machine), with the remedy; empty when nothing is missing. For
   * the pre-flight check of a run. The default finds nothing missing.
   */
  default Optional<String> unavailable(NodeSpec node) {
    return Optional.empty();
  }
}
