package dev.orchestra.agents.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

class GeminiAgentTest {
  static final String SESSION = "781ef25a-a7fc-4abc-b329-4443fe5d718e";

  @TempDir Path dir;

  GeminiAgent agent(Map<String, String> extraEnv) throws IOException {
    Path program = dir.resolve("bin/gemini");
    Files.createDirectories(program.getParent());
    Files.writeString(program, "#!/bin/sh\n");
    program.toFile().setExecutable(true);
    var env = new java.util.HashMap<>(extraEnv);
    env.put(AgentCli.variable("gemini"), program.toString());
    return new GeminiAgent(env, Clock.systemUTC(), PriceTable.standard());
  }

  AgentRequest request(NodeSpec node, String feedback, String session, Map<String, String> env) {
    return new AgentRequest(
        "run-1",
        "ui",
        2,
        node,
        "the whole prompt",
        feedback,
        session,
        dir.resolve("ws"),
        dir.resolve("nodes/ui/2"),
        env);
  }

  static NodeSpec.Builder node() {
    return NodeSpec.builder("ui").agent("gemini");
  }

  @Test
  void runsHeadlessWithThePromptOnStandardInputAndTheDefaultModel() throws IOException {
    AgentLaunch launch =
        agent(Map.of())
            .prepare(request(node().build(), null, null, Map.of("GEMINI_API_KEY", "AIza-1")));

    List<String> argv = launch.process().argv();
    assertThat(argv.subList(1, argv.size()))
        .containsExactly(
            "-p", "", "--output-format", "stream-json", "--yolo", "--model", "gemini-2.5-pro");
    assertThat(Files.readString(launch.process().stdin())).isEqualTo("the whole prompt");
    Path home = dir.resolve("nodes/ui/home");
    assertThat(launch.process().env())
        .containsEntry("HOME", home.toString())
        .containsEntry("TMPDIR", home.resolve(".tmp").toString())
        .containsEntry("GEMINI_API_KEY", "AIza-1")
        .doesNotContainKey("GOOGLE_GEMINI_BASE_URL");
  }

  @Test
  void writesSettingsForUnattendedApiKeyRunsWithoutTheClisRetries() throws IOException {
    agent(Map.of()).prepare(request(node().build(), null, null, Map.of()));

    JsonNode settings =
        new ObjectMapper().readTree(dir.resolve("nodes/ui/home/.gemini/settings.json").toFile());
    assertThat(settings.at("/security/auth/selectedType").asText()).isEqualTo("gemini-api-key");
    assertThat(settings.at("/security/folderTrust/enabled").asBoolean(true)).isFalse();
    assertThat(settings.at("/general/maxAttempts").asInt()).isEqualTo(1);
    assertThat(settings.at("/telemetry/enabled").asBoolean(true)).isFalse();
    assertThat(settings.at("/privacy/usageStatisticsEnabled").asBoolean(true)).isFalse();
  }

  @Test
  void modelEndpointAndArgsAreHonoured() throws IOException {
    NodeSpec node =
        node()
            .model("gemini-2.5-flash")
            .endpoint("https://gw.example.com/google/")
            .args(List.of("--debug"))
            .build();

    AgentLaunch launch = agent(Map.of()).prepare(request(node, null, null, Map.of()));

    assertThat(launch.process().argv()).containsSequence("--model", "gemini-2.5-flash");
    assertThat(launch.process().argv()).endsWith("--debug");
    assertThat(launch.process().env())
        .containsEntry("GOOGLE_GEMINI_BASE_URL", "https://gw.example.com/google");
  }

  @Test
  void aGoogleApiKeyServesWhenThereIsNoGeminiKey() throws IOException {
    AgentLaunch launch =
        agent(Map.of("GOOGLE_API_KEY", "AIza-google"))
            .prepare(request(node().build(), null, null, Map.of()));

    assertThat(launch.process().env()).containsEntry("GEMINI_API_KEY", "AIza-google");
  }

  @Test
  void aLaterAttemptResumesTheSessionWithTheFeedbackOnly() throws IOException {
    Path chat =
        dir.resolve("nodes/ui/home/.gemini/tmp/ws/chats/session-2026-11-24T00-54-781ef25a.jsonl");
    Files.createDirectories(chat.getParent());
    Files.writeString(chat, "{}\n");

    AgentLaunch launch =
        agent(Map.of()).prepare(request(node().build(), "check failed", SESSION, Map.of()));

    assertThat(launch.process().argv()).containsSequence("--resume", SESSION);
    assertThat(Files.readString(launch.process().stdin())).isEqualTo("check failed");
  }

  @Test
  void aSessionThatIsGoneStartsAfreshWithTheWholePrompt() throws IOException {
    AgentLaunch launch =
        agent(Map.of()).prepare(request(node().build(), "check failed", SESSION, Map.of()));

    assertThat(launch.process().argv()).doesNotContain("--resume");
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
    var reader = agent(Map.of()).prepare(request(node, null, null, Map.of())).reader();
    var sink = new dev.orchestra.agents.RecordingSink();

    reader.onLine(
        dev.orchestra.exec.OutputStream.STDOUT,
        "{\"type\":\"result\",\"status\":\"success\",\"stats\":{\"input_tokens\":1000000,"
            + "\"cached\":0,\"output_tokens\":1000000}}",
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
        new GeminiAgent(Map.of("PATH", dir.toString()), Clock.systemUTC(), PriceTable.standard());

    assertThatThrownBy(() -> agent.prepare(request(node().build(), null, null, Map.of())))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("@google/gemini-cli");
  }
}
