package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.agents.claude.ClaudeAgent;
import org.junit.jupiter.api.Test;

class AiAgentsTest {

  @Test
  void offersTheCommandAgentAndClaude() {
    var agents = AiAgents.all();

    assertThat(agents.names()).contains("command", "claude");
    assertThat(agents.get("command")).isInstanceOf(CommandAgent.class);
    assertThat(agents.get("claude")).isInstanceOf(ClaudeAgent.class);
  }
}
