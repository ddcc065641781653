package dev.orchestra.agents.catalog;

import dev.orchestra.agent.Agents;
import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.agents.claude.ClaudeAgent;
import dev.orchestra.agents.codex.CodexAgent;
import dev.orchestra.agents.gemini.GeminiAgent;

/**
 * The agents front ends offer: the built-in {@code command} agent and the AI agent CLIs. In a
 * package of its own: it knows every adapter package, which all use {@code dev.orchestra.agents}.
 */
public final class AiAgents {

  private AiAgents() {}

  /** {@code command}, {@code claude}, {@code codex} and {@code gemini}. */
  public static Agents all() {
    return Agents.of(new CommandAgent(), new ClaudeAgent(), new CodexAgent(), new GeminiAgent());
  }
}
