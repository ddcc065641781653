package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AiAgentsTest {

  @Test
  void frontEndsOfferTheCommandAgentAndAllThreeAiClis() {
    assertThat(AiAgents.all().names()).containsExactly("command", "claude", "codex", "gemini");
  }
}
