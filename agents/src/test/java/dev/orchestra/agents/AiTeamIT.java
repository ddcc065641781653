package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agents.claude.ClaudeAgent;
import dev.orchestra.agents.codex.CodexAgent;
import dev.orchestra.agents.gemini.GeminiAgent;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.event.Event;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.testing.AgentClis;
import dev.orchestra.testing.AnthropicMessages;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.testing.GeminiStream;
import dev.orchestra.testing.OpenAiResponses;
import dev.orchestra.testing.ScriptedModelServer;
import dev.orchestra.testing.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example {@code examples/ai-team.yaml} end to end: the real claude, codex and gemini CLIs
 * against one scripted endpoint speaking all three APIs, then the command node that runs the test
 * Gemini wrote against the script Codex wrote.
 */
class AiTeamIT {
  static final Path EXAMPLE = Path.of("../examples/ai-team.yaml");
  static final String ENDPOINT_LINE = "  # endpoint: https://llm-gateway.example.com";

  static final String SPEC =
      "# greet.sh (SPEC-7193)\n`greet.sh NAME` prints `Hello, NAME!`; without NAME it exits 2.\n";
  static final String GREET =
      """
      #!/bin/sh
      if [ $# -lt 1 ]; then echo "usage: greet.sh NAME" >&2; exit 2; fi
      printf 'Hello, %s!\\n' "$1"
      """;
  static final String TEST =
      """
      #!/bin/sh
      out=$(sh ./greet.sh Ada) || { echo "greet.sh Ada failed"; exit 1; }
      [ "$out" = "Hello, Ada!" ] || { echo "greet.sh Ada printed: $out"; exit 1; }
      sh ./greet.sh > /dev/null 2>&1; [ $? -eq 2 ] || { echo "no NAME: not exit 2"; exit 1; }
      echo "all cases passed"
      """;

  @TempDir Path dir;

  @Test
  void claudeThenCodexAndGeminiThenACommandRunEndToEnd() throws Exception {
    String yaml = Files.readString(EXAMPLE);
    assertThat(yaml).as("the example offers an endpoint to uncomment").contains(ENDPOINT_LINE);
    try (var server =
            ScriptedModelServer.start(
                new AnthropicMessages(), new OpenAiResponses(), new GeminiStream());
        var run = engine()) {
      yaml = yaml.replace(ENDPOINT_LINE, "  endpoint: " + server.baseUrl());
      server.script(
          AnthropicMessages.NAME,
          new Turn.WriteFile("SPEC.md", SPEC),
          new Turn.Text("SPEC.md is written", 300, 40));
      server.script(
          OpenAiResponses.NAME,
          new Turn.WriteFile("greet.sh", GREET),
          new Turn.Text("codex: implemented greet.sh", 500, 60));
      server.script(
          GeminiStream.NAME,
          new Turn.WriteFile("greet_test.sh", TEST),
          new Turn.Text("gemini: wrote greet_test.sh", 400, 50));

      RunResult result = run.run(yaml);

      assertThat(result.status())
          .as(
              "%s%s%s%s",
              run.output("spec"), run.output("implement"), run.output("test"), run.output("verify"))
          .isEqualTo(RunStatus.SUCCEEDED);
      assertThat(Files.readString(dir.resolve("SPEC.md"))).isEqualTo(SPEC);
      assertThat(Files.readString(dir.resolve("greet.sh"))).isEqualTo(GREET);
      assertThat(Files.readString(dir.resolve("greet_test.sh"))).isEqualTo(TEST);

      // The spec reached Codex and Gemini through {{ nodes.spec.outputs.spec }}.
      assertThat(server.requests(AnthropicMessages.NAME).get(0).body())
          .contains("greet.sh NAME prints exactly");
      assertThat(server.requests(OpenAiResponses.NAME).get(0).body()).contains("SPEC-7193");
      assertThat(server.requests(GeminiStream.NAME).get(0).body()).contains("SPEC-7193");
      // Their final messages reached the command node, which ran Gemini's test on Codex's script.
      assertThat(result.nodes().get("verify").output())
          .contains(
              "greet_test.sh passed", "codex: implemented greet.sh", "gemini: wrote greet_test.sh");
      assertThat(run.output("verify")).contains("all cases passed");

      Usage spec = result.nodes().get("spec").usage();
      Usage implement = result.nodes().get("implement").usage();
      Usage test = result.nodes().get("test").usage();
      assertThat(spec.totalTokens()).isPositive();
      assertThat(spec.costUsd()).isPositive();
      assertThat(spec.costEstimated()).as("claude reports its own cost").isFalse();
      // Priced from the table: 510 in, 65 out at gpt-5.5 and 410 in, 55 out at gemini-2.5-pro.
      assertThat(implement.inputTokens()).isEqualTo(510);
      assertThat(implement.costUsd()).isEqualByComparingTo("0.00450");
      assertThat(implement.costEstimated()).isTrue();
      assertThat(test.inputTokens()).isEqualTo(410);
      assertThat(test.costUsd()).isEqualByComparingTo("0.0010625");
      assertThat(test.costEstimated()).isTrue();
      assertThat(run.events(Event.NodeFinished.class))
          .filteredOn(f -> !f.node().equals("verify"))
          .hasSize(3)
          .allSatisfy(f -> assertThat(f.usage().costUsd()).isPositive());
      assertThat(result.usage().costUsd())
          .isEqualByComparingTo(spec.costUsd().add(implement.costUsd()).add(test.costUsd()));
    }
  }

  EngineRun engine() {
    Map<String, String> env =
        Map.of(
            AgentCli.variable("claude"),
            AgentClis.claude().toString(),
            AgentCli.variable("codex"),
            AgentClis.codex().toString(),
            AgentCli.variable("gemini"),
            AgentClis.gemini().toString(),
            "PATH",
            System.getenv("PATH"));
    return new EngineRun(
        dir,
        FileRunStore.under(dir),
        Map.of(
            "ORCHESTRA_HOME", dir.resolve("orchestra-home").toString(),
            "ORCHESTRA_CREDENTIAL_ANTHROPIC", "sk-ant-team-0123456789abcdef",
            "ORCHESTRA_CREDENTIAL_OPENAI", "sk-openai-team-0123456789abcdef",
            "ORCHESTRA_CREDENTIAL_GEMINI", "AIza-gemini-team-0123456789abcdef"),
        new ClaudeAgent(env, Clock.systemUTC()),
        new CodexAgent(env, Clock.systemUTC(), PriceTable.standard()),
        new GeminiAgent(env, Clock.systemUTC(), PriceTable.standard()));
  }
}
