package dev.orchestra.agents.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaudeAgentTest {
  static final String KEY = "sk-ant-secret-value-42";

  @TempDir Path dir;
  Path claude;
  ClaudeAgent agent;

  @BeforeEach
  void fakeProgram() throws Exception {
    // prepare() only locates the program; nothing here runs it.
    claude = dir.resolve("bin/claude");
    Files.createDirectories(claude.getParent());
    Files.writeString(claude, "#!/bin/sh\n");
    Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwx------"));
    agent = new ClaudeAgent(Map.of("PATH", claude.getParent().toString()), Clock.systemUTC());
  }

  NodeSpec node(String keys) throws Exception {
    Path file = dir.resolve("wf.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: t
        nodes:
          n:
            agent: claude
            prompt: do it
        %s
        """
            .formatted(keys.indent(4).stripTrailing()));
    return Workflows.load(file, (Map<String, String>) null).nodes().get("n");
  }

  AgentRequest request(NodeSpec node, String feedback, String session) {
    return new AgentRequest(
        "run-1",
        "n",
        session == null ? 1 : 2,
        node,
        feedback == null ? "do it" : "do it\n\n" + feedback,
        feedback,
        session,
        dir.resolve("ws"),
        dir.resolve("runs/n/" + (session == null ? 1 : 2)),
        Map.of("ANTHROPIC_API_KEY", KEY, "FROM_NODE", "x"));
  }

  @Test
  void runsClaudeHeadlessWithModelArgsEndpointAndAPrivateHome() throws Exception {
    NodeSpec node =
        node(
            """
            model: claude-sonnet-4-5
            args: [--max-turns, "3"]
            endpoint: http://gateway.local:8080
            credentials: [anthropic]
            """);

    ProcessSpec p = agent.prepare(request(node, null, null)).process();

    assertThat(p.argv())
        .containsExactly(
            claude.toString(),
            "-p",
            "--output-format",
            "stream-json",
            "--verbose",
            "--dangerously-skip-permissions",
            "--model",
            "claude-sonnet-4-5",
            "--max-turns",
            "3");
    assertThat(String.join(" ", p.argv())).doesNotContain(KEY);
    Path home = dir.resolve("runs/n/home");
    assertThat(p.env())
        .containsEntry("HOME", home.toString())
        .containsEntry("ANTHROPIC_BASE_URL", "http://gateway.local:8080")
        .containsEntry("ANTHROPIC_API_KEY", KEY)
        .containsEntry("FROM_NODE", "x")
        .containsEntry("DISABLE_AUTOUPDATER", "1")
        .containsEntry("DISABLE_TELEMETRY", "1")
        .containsEntry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .containsEntry("CLAUDE_CODE_MAX_RETRIES", "0");
    assertThat(p.stdin()).as("the prompt on stdin, from a file").hasContent("do it");
    assertThat(p.workdir()).isEqualTo(dir.resolve("ws"));
    assertThat(Files.getPosixFilePermissions(home))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void resumesTheSessionWithTheFeedbackOnlyWhenItsTranscriptIsInTheHome() throws Exception {
    String session = "0b5e1f0e-5a8c-4d8e-9f1a-2b3c4d5e6f70";
    Path transcript = dir.resolve("runs/n/home/.claude/projects/-ws/" + session + ".jsonl");
    Files.createDirectories(transcript.getParent());
    Files.writeString(transcript, "{}\n");

    AgentLaunch launch = agent.prepare(request(node(""), "check 'x' failed", session));

    assertThat(launch.process().argv()).containsSubsequence("--resume", session);
    assertThat(launch.process().stdin()).hasContent("check 'x' failed");
  }

  @Test
  void startsAfreshWithTheFullPromptWhenTheSessionCannotBeResumed() throws Exception {
    String session = "0b5e1f0e-5a8c-4d8e-9f1a-2b3c4d5e6f70";

    AgentLaunch launch = agent.prepare(request(node(""), "check 'x' failed", session));

    assertThat(launch.process().argv()).doesNotContain("--resume");
    assertThat(launch.process().stdin()).hasContent("do it\n\ncheck 'x' failed");
  }

  @Test
  void aMissingCliNamesTheNpmPackageAndTheVariable() throws Exception {
    var missing =
        new ClaudeAgent(Map.of("PATH", dir.resolve("empty").toString()), Clock.systemUTC());

    assertThatThrownBy(() -> missing.prepare(request(node(""), null, null)))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("npm install -g @anthropic-ai/claude-code")
        .hasMessageContaining("ORCHESTRA_CLAUDE_BIN");
  }

  @Test
  void aMissingCliEndsTheNodeInErrorWithTheRemedy() throws Exception {
    var missing =
        new ClaudeAgent(Map.of("PATH", dir.resolve("empty").toString()), Clock.systemUTC());
    Path work = Files.createDirectories(dir.resolve("work"));
    try (var run =
        new EngineRun(work, MemoryRunStore.withScratch(dir.resolve("runs")), Map.of(), missing)) {
      RunResult result =
          run.run(
              """
              version: 1
              name: t
              nodes:
                n: {agent: claude, prompt: hi}
              """);

      assertThat(result.nodes().get("n").status()).isEqualTo(NodeStatus.ERROR);
      assertThat(result.nodes().get("n").reason())
          .contains("the claude CLI (npm package @anthropic-ai/claude-code) is not installed");
    }
  }

  @Test
  void aDockerNodeRunsTheClaudeOfItsImage() throws Exception {
    var missing =
        new ClaudeAgent(Map.of("PATH", dir.resolve("empty").toString()), Clock.systemUTC());

    ProcessSpec p =
        missing.prepare(request(node("executor: docker\nimage: node:20"), null, null)).process();

    assertThat(p.argv().get(0)).isEqualTo("claude");
    assertThat(p.env()).containsEntry("IS_SANDBOX", "1");
  }
}
