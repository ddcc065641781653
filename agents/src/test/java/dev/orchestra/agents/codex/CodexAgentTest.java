package dev.orchestra.agents.codex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agents.AgentCli;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.workflow.NodeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodexAgentTest {
  static final String THREAD = "01a20b0a-8033-7322-8036-949ddd5d636b";

  @TempDir Path dir;

  CodexAgent agent() throws IOException {
    Path program = dir.resolve("bin/codex");
    Files.createDirectories(program.getParent());
    Files.writeString(program, "#!/bin/sh\n");
    program.toFile().setExecutable(true);
    return new CodexAgent(
        Map.of(AgentCli.variable("codex"), program.toString()),
        Clock.systemUTC(),
        PriceTable.standard());
  }

  AgentRequest request(NodeSpec node, String feedback, String session) {
    return new AgentRequest(
        "run-1",
        "build",
        2,
        node,
        "the whole prompt",
        feedback,
        session,
        dir.resolve("ws"),
        dir.resolve("nodes/build/2"),
        Map.of("OPENAI_API_KEY", "sk-test-123456789"));
  }

  static NodeSpec.Builder node() {
    return NodeSpec.builder("build").agent("codex");
  }

  @Test
  void runsExecWithThePromptOnStandardInputAndItsOwnHomes() throws IOException {
    AgentLaunch launch = agent().prepare(request(node().build(), null, null));

    List<String> argv = launch.process().argv();
    assertThat(argv.subList(1, 5))
        .containsExactly(
            "exec",
            "--json",
            "--skip-git-repo-check",
            "--dangerously-bypass-approvals-and-sandbox");
    assertThat(argv).containsSequence("-c", "model=\"gpt-5.5\"");
    assertThat(argv).containsSequence("-c", "check_for_update_on_startup=false");
    assertThat(argv).containsSequence("-c", "analytics.enabled=false");
    assertThat(argv).doesNotContain("resume", "--ephemeral", "the whole prompt");
    assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("--", "-");
    assertThat(Files.readString(launch.process().stdin())).isEqualTo("the whole prompt");
    Path home = dir.resolve("nodes/build/home");
    assertThat(launch.process().env())
        .containsEntry("HOME", home.toString())
        .containsEntry("CODEX_HOME", home.resolve(".codex").toString())
        .containsEntry("OPENAI_API_KEY", "sk-test-123456789");
    assertThat(home.resolve(".codex")).isDirectory();
    assertThat(String.join(" ", argv)).doesNotContain("sk-test-123456789");
  }

  @Test
  void modelAndArgsGoOnTheCommandLineBeforeThePrompt() throws IOException {
    NodeSpec node = node().model("gpt-5.4").args(List.of("--enable", "web_search")).build();

    List<String> argv = agent().prepare(request(node, null, null)).process().argv();

    assertThat(argv).containsSequence("-c", "model=\"gpt-5.4\"");
    assertThat(argv.subList(argv.size() - 4, argv.size()))
        .containsExactly("--enable", "web_search", "--", "-");
  }

  @Test
  void anEndpointBecomesAResponsesProviderReadingTheOpenAiKey() throws IOException {
    NodeSpec node = node().endpoint("http://127.0.0.1:9/").build();

    List<String> argv = agent().prepare(request(node, null, null)).process().argv();

    assertThat(argv).containsSequence("-c", "model_provider=\"orchestra\"");
    assertThat(argv)
        .contains(
            "model_providers.orchestra={name=\"Orchestra\",base_url=\"http://127.0.0.1:9/v1\","
                + "env_key=\"OPENAI_API_KEY\",wire_api=\"responses\",request_max_retries=0,"
                + "stream_max_retries=0,supports_websockets=false}");
  }

  @Test
  void anEndpointWithAPathIsUsedAsItIs() {
    assertThat(CodexAgent.baseUrl("https://gw.example.com/openai/v1/"))
        .isEqualTo("https://gw.example.com/openai/v1");
    assertThat(CodexAgent.baseUrl("https://gw.example.com")).isEqualTo("https://gw.example.com/v1");
  }

  @Test
  void aLaterAttemptResumesTheThreadWithTheFeedbackOnly() throws IOException {
    Path rollout =
        dir.resolve(
            "nodes/build/home/.codex/sessions/2026/11/24/rollout-2026-11-24T00-52-47-"
                + THREAD
                + ".jsonl");
    Files.createDirectories(rollout.getParent());
    Files.writeString(rollout, "{}\n");

    AgentLaunch launch = agent().prepare(request(node().build(), "check 'test' failed", THREAD));

    List<String> argv = launch.process().argv();
    assertThat(argv.subList(1, 3)).containsExactly("exec", "resume");
    assertThat(argv.subList(argv.size() - 3, argv.size())).containsExactly("--", THREAD, "-");
    assertThat(Files.readString(launch.process().stdin())).isEqualTo("check 'test' failed");
  }

  @Test
  void aThreadThatIsGoneStartsAfreshWithTheWholePrompt() throws IOException {
    AgentLaunch launch = agent().prepare(request(node().build(), "check 'test' failed", THREAD));

    assertThat(launch.process().argv()).doesNotContain("resume", THREAD);
    assertThat(Files.readString(launch.process().stdin())).isEqualTo("the whole prompt");
  }

  @Test
  void theNodesPriceOverridesTheTable() throws IOException {
    NodeSpec node =
        node()
            .price(
                new dev.orchestra.workflow.Price(
                    java.math.BigDecimal.ONE, java.math.BigDecimal.TEN, null))
            .build();
    var reader = agent().prepare(request(node, null, null)).reader();
    var sink = new dev.orchestra.agents.RecordingSink();

    reader.onLine(
        dev.orchestra.exec.OutputStream.STDOUT,
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1000000,"
            + "\"cached_input_tokens\":0,\"output_tokens\":1000000}}",
        sink);

    assertThat(sink.usages())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.costUsd()).isEqualByComparingTo("11");
              assertThat(u.costEstimated()).isTrue();
            });
  }

  @Test
  void aMissingCliNamesTheNpmPackage() {
    var agent =
        new CodexAgent(Map.of("PATH", dir.toString()), Clock.systemUTC(), PriceTable.standard());

    assertThatThrownBy(() -> agent.prepare(request(node().build(), null, null)))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("@openai/codex")
        .hasMessageContaining("ORCHESTRA_CODEX_BIN");
  }
}
