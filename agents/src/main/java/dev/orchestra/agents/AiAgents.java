package dev.orchestra.agents;

import dev.orchestra.agent.Agents;
import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.agents.claude.ClaudeAgent;

/** The agents front ends offer: the built-in {@code command} agent and the AI agent CLIs. */
public final class AiAgents {

  private AiAgents() {}

  /** {@code command} and {@code claude} (later {@code codex} and {@code gemini}). */
  public static Agents all() {
    return Agents.of(new CommandAgent(), new ClaudeAgent());
  }
}
