package dev.orchestra.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.command.CommandAgent;
import org.junit.jupiter.api.Test;

class AgentsTest {

  @Test
  void findsAnAgentByItsName() {
    Agents agents = Agents.of(new CommandAgent());

    assertThat(agents.get("command")).isInstanceOf(CommandAgent.class);
    assertThat(agents.find("claude")).isEmpty();
    assertThat(agents.names()).containsExactly("command");
  }

  @Test
  void namesTheKnownAgentsWhenOneIsMissing() {
    Agents agents = Agents.of(new CommandAgent());

    assertThatThrownBy(() -> agents.get("claude"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'claude'")
        .hasMessageContaining("known agents: command");
  }

  @Test
  void addsAgentsWithoutChangingTheOriginal() {
    Agents builtIn = Agents.of(new CommandAgent());
    Agent other =
        new Agent() {
          @Override
          public String name() {
            return "other";
          }

          @Override
          public AgentLaunch prepare(AgentRequest request) {
            throw new UnsupportedOperationException();
          }
        };

    Agents more = builtIn.with(other);

    assertThat(more.names()).containsExactly("command", "other");
    assertThat(builtIn.names()).containsExactly("command");
    assertThatThrownBy(() -> Agents.of(new CommandAgent(), new CommandAgent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'command'");
  }
}
