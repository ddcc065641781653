package dev.orchestra.agents.gemini;

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
import dev.orchestra.testing.GeminiStream;
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

/** The real {@code gemini} CLI, driven by the engine against the scripted model endpoint. */
class GeminiAgentIT {
  static final String KEY = "AIza-gemini-test-0123456789abcdef";

  @TempDir Path dir;
  ScriptedModelServer server;
  EngineRun run;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start(new GeminiStream());
    var agent =
        new GeminiAgent(
            Map.of(
                AgentCli.variable("gemini"),
                AgentClis.gemini().toString(),
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
                "ORCHESTRA_CREDENTIAL_GEMINI",
                KEY),
            agent);
  }

  @AfterEach
  void stop() {
    run.close();
    server.close();
  }

  /** A workflow with one gemini node {@code write} (plus {@code extra} keys). */
  String workflow(String extra) {
    return """
        version: 1
        name: t
        nodes:
          write:
            agent: gemini
            prompt: write gemini.txt
            endpoint: %s
            credentials: [gemini]
            backoff: {delay: 10ms, max: 10ms}
        %s
        """
        .formatted(server.baseUrl(), extra.indent(4).stripTrailing());
  }

  List<RecordedRequest> generations() {
    return server.requests(GeminiStream.NAME);
  }

  @Test
  void writesTheFileThroughAToolCallAndReportsOutputUsageAndEstimatedCost() throws Exception {
    server.script(
        GeminiStream.NAME,
        new Turn.WriteFile("gemini.txt", "it's gemini\n"),
        new Turn.Text("wrote gemini.txt", 1000, 200));

    RunResult result = run.run(workflow("checks: [{exists: gemini.txt}]"));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("gemini.txt"))).isEqualTo("it's gemini\n");
    var node = result.nodes().get("write");
    assertThat(node.output()).isEqualTo("wrote gemini.txt");
    // The tool call's turn (10 in, 5 out) and the answer's, at gemini-2.5-pro's listed price.
    assertThat(node.usage().inputTokens()).isEqualTo(1010);
    assertThat(node.usage().outputTokens()).isEqualTo(205);
    assertThat(node.usage().costUsd()).isEqualByComparingTo("0.0033125");
    assertThat(node.usage().costEstimated()).isTrue();
    assertThat(run.output("write"))
        .contains("text: tool write_file gemini.txt\n", "text: wrote gemini.txt");
    RecordedRequest first = generations().get(0);
    assertThat(first.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(first.pathOnly()).contains("/models/" + GeminiAgent.DEFAULT_MODEL + ":");
    assertThat(first.body()).contains("write gemini.txt");
    assertThat(Files.readString(runDir().resolve("result.json")))
        .contains("wrote gemini.txt")
        .contains("\"cost_usd\"");
  }

  @Test
  void aFailedCheckResumesTheSessionWithTheFeedbackOnly() throws Exception {
    server.script(
        GeminiStream.NAME,
        new Turn.WriteFile("gemini.txt", "first\n"),
        new Turn.Text("first try"),
        new Turn.Text("second try"));
    String check =
        "checks: [{run: 'test -f .again || { touch .again; echo FEEDBACK-5521; exit 1; }'}]";

    RunResult result = run.run(workflow("attempts: 2\n" + check));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    var node = result.nodes().get("write");
    assertThat(node.attempts()).isEqualTo(2);
    assertThat(node.output()).isEqualTo("second try");
    List<RecordedRequest> requests = generations();
    assertThat(requests).hasSize(3);
    JsonNode contents = requests.get(2).json().path("contents");
    // The session so far (prompt, tool call and its result, answer), then the feedback alone.
    assertThat(contents.toString())
        .contains("write gemini.txt", "functionCall", "functionResponse", "first try");
    String last = contents.get(contents.size() - 1).toString();
    assertThat(last).contains("FEEDBACK-5521").doesNotContain("write gemini.txt");
    assertThat(node.usage().inputTokens()).isEqualTo(30);
    assertThat(node.usage().outputTokens()).isEqualTo(15);
  }

  @Test
  void aRateLimitWaitsAndRetriesWithoutUsingAnAttempt() throws Exception {
    server.script(
        GeminiStream.NAME,
        new Turn.Fail(429, 1, "Resource has been exhausted (e.g. check quota)."),
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
    server.script(
        GeminiStream.NAME,
        new Turn.Fail(401, null, "API key not valid. Please pass a valid API key."));

    RunResult result = run.run(workflow("attempts: 3"));

    var node = result.nodes().get("write");
    assertThat(node.status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node.reason()).contains("GEMINI_API_KEY", "orchestra credentials add gemini", "401");
    assertThat(generations()).hasSize(1);
    assertThat(run.events(Event.NodeRetrying.class)).isEmpty();
  }

  @Test
  void aBudgetSmallerThanOneTurnStopsTheNodeAndSkipsDownstream() throws Exception {
    server.script(GeminiStream.NAME, new Turn.Text("too late", 5000, 5000));
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
  void theKeyReachesNoRecordEvenWhenTheAgentWritesIt() throws Exception {
    server.script(GeminiStream.NAME, new Turn.WriteFile("leak.txt", KEY), new Turn.Text("leaked"));

    RunResult result = run.run(workflow(""));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("leak.txt"))).isEqualTo(KEY);
    // The CLI's transcripts in the node's home are part of the records too.
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
