package dev.orchestra.agents.codex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.agents.AgentCli;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.testing.AgentClis;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.testing.OpenAiResponses;
import dev.orchestra.testing.RecordedRequest;
import dev.orchestra.testing.ScriptedModelServer;
import dev.orchestra.testing.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code codex} CLI, driven by the engine against the scripted model endpoint. */
class CodexAgentIT {
  static final String KEY = "sk-openai-test-0123456789abcdef";

  @TempDir Path dir;
  ScriptedModelServer server;
  EngineRun run;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start(new OpenAiResponses());
    var agent =
        new CodexAgent(
            Map.of(
                AgentCli.variable("codex"),
                AgentClis.codex().toString(),
                "PATH",
                System.getenv("PATH")),
            Clock.systemUTC(),
            PriceTable.standard());
    run =
        new EngineRun(
            dir,
            FileRunStore.under(dir),
            Map.of(
                "ORCHESTRA_HOME",
                dir.resolve("orchestra-home").toString(),
                "ORCHESTRA_CREDENTIAL_OPENAI",
                KEY),
            agent);
  }

  @AfterEach
  void stop() {
    run.close();
    server.close();
  }

  /** A workflow with one codex node {@code write} (plus {@code extra} keys). */
  String workflow(String extra) {
    return """
        version: 1
        name: t
        nodes:
          write:
            agent: codex
            prompt: write codex.txt
            endpoint: %s
            credentials: [openai]
            backoff: {delay: 10ms, max: 10ms}
        %s
        """
        .formatted(server.baseUrl(), extra.indent(4).stripTrailing());
  }

  List<RecordedRequest> responses() {
    return server.requests(OpenAiResponses.NAME);
  }

  @Test
  void writesTheFileThroughAToolCallAndReportsOutputUsageAndEstimatedCost() throws Exception {
    server.script(
        OpenAiResponses.NAME,
        new Turn.WriteFile("codex.txt", "it's codex\n"),
        new Turn.Text("wrote codex.txt", 1000, 200));

    RunResult result = run.run(workflow("checks: [{exists: codex.txt}]"));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("codex.txt"))).isEqualTo("it's codex\n");
    var node = result.nodes().get("write");
    assertThat(node.output()).isEqualTo("wrote codex.txt");
    // The tool call's turn (10 in, 5 out) and the answer's, at gpt-5.5's listed price.
    assertThat(node.usage().inputTokens()).isEqualTo(1010);
    assertThat(node.usage().outputTokens()).isEqualTo(205);
    assertThat(node.usage().costUsd()).isEqualByComparingTo("0.0112");
    assertThat(node.usage().costEstimated()).isTrue();
    assertThat(run.output("write"))
        .contains("text: tool shell ", "codex.txt", "(exit 0)", "text: wrote codex.txt");
    RecordedRequest first = responses().get(0);
    assertThat(first.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(first.json().path("model").asText()).isEqualTo(CodexAgent.DEFAULT_MODEL);
    assertThat(first.body()).contains("write codex.txt");
    assertThat(Files.readString(runDir().resolve("result.json")))
        .contains("wrote codex.txt")
        .contains("\"cost_usd\"");
  }

  @Test
  void aFailedCheckResumesTheThreadWithTheFeedbackOnly() throws Exception {
    server.script(
        OpenAiResponses.NAME,
        new Turn.WriteFile("codex.txt", "first\n"),
        new Turn.Text("first try"),
        new Turn.Text("second try"));
    String check =
        "checks: [{run: 'test -f .again || { touch .again; echo FEEDBACK-5521; exit 1; }'}]";

    RunResult result = run.run(workflow("attempts: 2\n" + check));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    var node = result.nodes().get("write");
    assertThat(node.attempts()).isEqualTo(2);
    assertThat(node.output()).isEqualTo("second try");
    List<RecordedRequest> requests = responses();
    assertThat(requests).hasSize(3);
    JsonNode input = requests.get(2).json().path("input");
    // The thread so far (prompt, tool call and its output, answer), then the feedback alone.
    assertThat(input.toString())
        .contains("write codex.txt", "exec_command", "function_call_output", "first try");
    String last = input.get(input.size() - 1).toString();
    assertThat(last).contains("FEEDBACK-5521").doesNotContain("write codex.txt");
    // Codex counts a thread's tokens cumulatively; each attempt counts only its own.
    assertThat(node.usage().inputTokens()).isEqualTo(30);
    assertThat(node.usage().outputTokens()).isEqualTo(15);
  }

  @Test
  void aRateLimitWaitsAndRetriesWithoutUsingAnAttempt() throws Exception {
    server.script(
        OpenAiResponses.NAME,
        new Turn.Fail(429, 1, "Rate limit reached for requests"),
        new Turn.Text("done after the limit"));

    RunResult result = run.run(workflow("attempts: 1"));

    // With one attempt allowed, success after the 429 shows the wait consumed none.
    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.events(Event.NodeRateLimited.class))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("429"));
    assertThat(run.events(Event.NodeRetrying.class)).isEmpty();
    assertThat(result.nodes().get("write").output()).isEqualTo("done after the limit");
  }

  @Test
  void refusedCredentialsEndTheNodeAtOnceNamingWhatToSet() throws Exception {
    server.script(OpenAiResponses.NAME, new Turn.Fail(401, null, "Incorrect API key provided"));

    RunResult result = run.run(workflow("attempts: 3"));

    var node = result.nodes().get("write");
    assertThat(node.status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node.reason()).contains("OPENAI_API_KEY", "orchestra credentials add openai", "401");
    assertThat(responses()).hasSize(1);
    assertThat(run.events(Event.NodeRetrying.class)).isEmpty();
  }

  @Test
  void aBudgetSmallerThanOneTurnStopsTheNodeAndSkipsDownstream() throws Exception {
    server.script(OpenAiResponses.NAME, new Turn.Text("too late", 5000, 5000));
    String yaml =
        workflow("budget: {tokens: 5}")
            + """
              after:
                needs: [write]
                agent: command
                command: [touch, after-ran]
            """;

    RunResult result = run.run(yaml);

    assertThat(result.nodes().get("write").status())
        .as(run.output("write"))
        .isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(dir.resolve("after-ran")).doesNotExist();
  }

  @Test
  void theKeyReachesNoRecordEvenWhenTheAgentWritesItAndTheThreadStillResumes() throws Exception {
    server.script(
        OpenAiResponses.NAME,
        new Turn.WriteFile("leak.txt", KEY),
        new Turn.Text("leaked"),
        new Turn.Text("still here"));
    String check =
        "checks: [{run: 'test -f .again || { touch .again; echo FEEDBACK-8830; exit 1; }'}]";

    RunResult result = run.run(workflow("attempts: 2\n" + check));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("leak.txt"))).isEqualTo(KEY);
    // Codex's databases held the key; dropped, the thread resumes from its masked rollout.
    List<RecordedRequest> requests = responses();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(2).body()).contains("function_call_output", "leaked", "FEEDBACK-8830");
    // The CLI's transcripts and databases in the node's home are part of the records too.
    try (Stream<Path> files = Files.walk(dir.resolve(".orchestra"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(KEY);
      }
    }
    assertThat(run.events().toString()).doesNotContain(KEY);
  }

  Path runDir() throws IOException {
    try (Stream<Path> runs = Files.list(dir.resolve(".orchestra/runs"))) {
      return runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }
}
