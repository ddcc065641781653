package dev.orchestra.agents.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.agents.claude.ClaudeAgent;
import dev.orchestra.agents.codex.CodexAgent;
import dev.orchestra.agents.gemini.GeminiAgent;
import org.junit.jupiter.api.Test;

class AiAgentsTest {

  @Test
  void offersTheCommandAgentAndAllThreeAiClis() {
    var agents = AiAgents.all();

    assertThat(agents.names()).containsExactly("command", "claude", "codex", "gemini");
    assertThat(agents.get("command")).isInstanceOf(CommandAgent.class);
    assertThat(agents.get("claude")).isInstanceOf(ClaudeAgent.class);
    assertThat(agents.get("codex")).isInstanceOf(CodexAgent.class);
    assertThat(agents.get("gemini")).isInstanceOf(GeminiAgent.class);
  }
}
