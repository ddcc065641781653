package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.testing.AgentClis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCliTest {
  @TempDir Path dir;

  Path program(String relative, String perms) throws Exception {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    return p;
  }

  @Test
  void findsTheFirstExecutableOnPath() throws Exception {
    program("a/codex", "rw-------");
    Path b = program("b/codex", "rwx------");
    program("c/codex", "rwx------");
    String path = dir.resolve("a") + ":" + dir.resolve("b") + "::" + dir.resolve("c");

    assertThat(AgentCli.locate("codex", "@openai/codex", Map.of("PATH", path))).isEqualTo(b);
  }

  @Test
  void theVariableWinsOverPath() throws Exception {
    Path chosen = program("pinned/claude-2.1", "rwx------");
    Path onPath = program("bin/claude", "rwx------");

    Path found =
        AgentCli.locate(
            "claude",
            "@anthropic-ai/claude-code",
            Map.of(
                "ORCHESTRA_CLAUDE_BIN", chosen.toString(), "PATH", onPath.getParent().toString()));

    assertThat(found).isEqualTo(chosen);
  }

  @Test
  void aVariableNamingNoProgramIsAnErrorNotAFallback() {
    assertThatThrownBy(
            () ->
                AgentCli.locate(
                    "gemini", "@google/gemini-cli", Map.of("ORCHESTRA_GEMINI_BIN", "/nope/gemini")))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("ORCHESTRA_GEMINI_BIN is set to '/nope/gemini'");
  }

  @Test
  void aMissingProgramNamesThePackageAndHowToInstallIt() {
    assertThatThrownBy(() -> AgentCli.locate("claude", "@anthropic-ai/claude-code", Map.of()))
        .isInstanceOf(LaunchException.class)
        .hasMessage(
            "the claude CLI (npm package @anthropic-ai/claude-code) is not installed: run `npm"
                + " install -g @anthropic-ai/claude-code` or set ORCHESTRA_CLAUDE_BIN");
  }

  @Test
  void theTestsFindTheCliUnderTheVariableTheAdapterReads() {
    for (String program : new String[] {"claude", "codex", "gemini", "cursor-agent"}) {
      assertThat(AgentClis.variable(program)).isEqualTo(AgentCli.variable(program));
    }
    assertThat(AgentCli.variable("cursor-agent")).isEqualTo("ORCHESTRA_CURSOR_AGENT_BIN");
  }
}
