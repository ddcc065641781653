package dev.orchestra.agents.claude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.agents.AgentCli;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.testing.AgentClis;
import dev.orchestra.testing.AnthropicMessages;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.testing.RecordedRequest;
import dev.orchestra.testing.ScriptedModelServer;
import dev.orchestra.testing.Turn;
import java.io.IOException;
import java.math.BigDecimal;
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

/** The real {@code claude} CLI, driven by the engine against the scripted model endpoint. */
class ClaudeAgentIT {
  static final String KEY = "sk-ant-test-0123456789abcdef";

  @TempDir Path dir;
  ScriptedModelServer server;
  EngineRun run;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start(new AnthropicMessages());
    var agent =
        new ClaudeAgent(
            Map.of(
                AgentCli.variable("claude"),
                AgentClis.claude().toString(),
                "PATH",
                System.getenv("PATH")),
            Clock.systemUTC());
    run =
        new EngineRun(
            dir,
            FileRunStore.under(dir),
            Map.of(
                "ORCHESTRA_HOME",
                dir.resolve("orchestra-home").toString(),
                "ORCHESTRA_CREDENTIAL_ANTHROPIC",
                KEY),
            agent);
  }

  @AfterEach
  void stop() {
    run.close();
    server.close();
  }

  /** A workflow with one claude node {@code write} (plus {@code extra} keys) and more nodes. */
  String workflow(String extra, String moreNodes) {
    return """
        version: 1
        name: t
        nodes:
          write:
            agent: claude
            prompt: write hello.txt
            endpoint: %s
            credentials: [anthropic]
            backoff: {delay: 10ms, max: 10ms}
        %s
        %s
        """
        .formatted(
            server.baseUrl(), extra.indent(4).stripTrailing(), moreNodes.indent(2).stripTrailing());
  }

  List<RecordedRequest> messages() {
    return server.requests(AnthropicMessages.NAME);
  }

  Event.NodeFinished finished(String node) {
    return run.events(Event.NodeFinished.class).stream()
        .filter(f -> f.node().equals(node))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void writesTheFileThroughAToolCallAndReportsOutputUsageAndCost() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.WriteFile("hello.txt", "hi there\n"),
        new Turn.Text("wrote hello.txt", 100, 20));

    RunResult result = run.run(workflow("checks: [{exists: hello.txt}]", ""));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("hello.txt"))).isEqualTo("hi there\n");
    var node = result.nodes().get("write");
    assertThat(node.output()).isEqualTo("wrote hello.txt");
    assertThat(node.usage().inputTokens()).isEqualTo(110);
    assertThat(node.usage().outputTokens()).isGreaterThanOrEqualTo(20);
    assertThat(node.usage().costUsd()).isPositive();
    assertThat(node.usage().costEstimated()).isFalse();
    assertThat(finished("write").usage()).isEqualTo(node.usage());
    assertThat(run.output("write"))
        .contains("text: tool Write hello.txt\n", "text: wrote hello.txt");
    assertThat(messages().get(0).header("x-api-key")).isEqualTo(KEY);
    String resultJson = Files.readString(runDir().resolve("result.json"));
    assertThat(resultJson).contains("wrote hello.txt").contains("\"cost_usd\"");
  }

  @Test
  void aFailedCheckResumesTheSessionWithTheFeedbackOnly() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.WriteFile("hello.txt", "first\n"),
        new Turn.Text("first try"),
        new Turn.Text("second try"));
    String check =
        "checks: [{run: 'test -f .again || { touch .again; echo FEEDBACK-7431; exit 1; }'}]";

    RunResult result = run.run(workflow("attempts: 2\n" + check, ""));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("write").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("write").output()).isEqualTo("second try");
    List<RecordedRequest> requests = messages();
    JsonNode resumed = requests.get(requests.size() - 1).json().path("messages");
    String conversation = resumed.toString();
    // The previous conversation (prompt, tool call, answer) is sent again, then the feedback.
    assertThat(conversation).contains("write hello.txt", "toolu_", "first try");
    String last = resumed.get(resumed.size() - 1).toString();
    assertThat(last).contains("FEEDBACK-7431").doesNotContain("write hello.txt");
    assertThat(attemptLog(2)).contains(sessionOf(attemptLog(1)));
  }

  @Test
  void aCriticThatFailsThenPassesDrivesTwoAttemptsWithItsReasonAsFeedback() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.WriteFile("hello.txt", "hi\n"),
        new Turn.Text("wrote hello.txt"),
        // The critic's answer: prose around a fenced verdict.
        new Turn.Text(
            "The file does not greet anyone.\n```json\n"
                + "{\"pass\": false, \"reason\": \"CRITIC-5521: greet the world\"}\n```"),
        new Turn.Text("now it greets"),
        new Turn.Text("{\"pass\": true, \"reason\": \"it greets\"}"));

    RunResult result =
        run.run(workflow("attempts: 2\nchecks: [{critic: {prompt: 'hello.txt must greet'}}]", ""));

    var node = result.nodes().get("write");
    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(node.attempts()).isEqualTo(2);
    assertThat(run.events(Event.CheckFinished.class))
        .extracting(Event.CheckFinished::passed)
        .containsExactly(false, true);
    assertThat(run.events(Event.CheckFinished.class).get(0).output()).contains("CRITIC-5521");
    List<RecordedRequest> requests = messages();
    assertThat(requests).hasSize(5);
    // The critic is shown the criteria and the node's output.
    assertThat(requests.get(2).body()).contains("hello.txt must greet", "wrote hello.txt");
    // The second attempt resumes the session with the critic's reason as the feedback.
    JsonNode resumed = requests.get(3).json().path("messages");
    assertThat(resumed.toString()).contains("wrote hello.txt");
    assertThat(resumed.get(resumed.size() - 1).toString()).contains("CRITIC-5521");
    // The critic's exchange is kept with the attempt it judged.
    assertThat(runDir().resolve("nodes/write/1/critic-1/answer.txt"))
        .content()
        .contains("CRITIC-5521");
  }

  @Test
  void aRateLimitWaitsAndRetriesWithoutUsingAnAttempt() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.Fail(429, 1, "Number of request tokens has exceeded your rate limit"),
        new Turn.Text("done after the limit"));

    RunResult result = run.run(workflow("attempts: 1", ""));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.events(Event.NodeRateLimited.class))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("429"));
    assertThat(run.events(Event.NodeRetrying.class)).isEmpty();
    assertThat(result.nodes().get("write").output()).isEqualTo("done after the limit");
  }

  @Test
  void refusedCredentialsEndTheNodeAtOnceNamingWhatToSet() throws Exception {
    server.script(AnthropicMessages.NAME, new Turn.Fail(401, null, "invalid x-api-key"));

    RunResult result = run.run(workflow("attempts: 3", ""));

    var node = result.nodes().get("write");
    assertThat(node.status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node.reason())
        .contains("ANTHROPIC_API_KEY", "orchestra credentials add anthropic", "401");
    assertThat(messages()).hasSize(1);
    assertThat(run.events(Event.NodeRetrying.class)).isEmpty();
  }

  @Test
  void aBudgetSmallerThanOneTurnStopsTheNodeAndSkipsDownstream() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.WriteFile("hello.txt", "x\n"),
        new Turn.Text("too late", 5000, 5000));
    String after =
        """
        after:
          needs: [write]
          agent: command
          command: [touch, after-ran]
        """;

    RunResult result = run.run(workflow("budget: {tokens: 5}", after));

    assertThat(result.nodes().get("write").status())
        .as(run.output("write"))
        .isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(dir.resolve("after-ran")).doesNotExist();
  }

  @Test
  void aCostBudgetIsCheckedAgainstTheCostClaudeReports() throws Exception {
    server.script(AnthropicMessages.NAME, new Turn.Text("expensive", 5000, 5000));

    RunResult result = run.run(workflow("budget: {usd: 0.0001}", ""));

    var node = result.nodes().get("write");
    assertThat(node.status()).as(run.output("write")).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(node.usage().costUsd()).isGreaterThan(new BigDecimal("0.0001"));
    assertThat(node.reason()).contains("budget");
  }

  @Test
  void aPromptLargerThanOneCommandLineArgumentMayHoldReachesTheModel() throws Exception {
    // Linux caps one argument at 128 KiB; the prompt goes on stdin instead.
    String big = "lorem ipsum dolor ".repeat(12_000) + "END-OF-CONTEXT";
    Files.writeString(dir.resolve("big.txt"), big);
    server.script(AnthropicMessages.NAME, new Turn.Text("read it"));

    RunResult result = run.run(workflow("context: [{file: big.txt}]", ""));

    assertThat(result.status()).as(run.output("write")).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(messages().get(0).body()).contains("END-OF-CONTEXT").hasSizeGreaterThan(200_000);
  }

  Path runDir() throws IOException {
    try (Stream<Path> runs = Files.list(dir.resolve(".orchestra/runs"))) {
      return runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  String attemptLog(int attempt) throws IOException {
    return Files.readString(
        runDir().resolve("nodes/write").resolve(Integer.toString(attempt)).resolve("stdout.log"));
  }

  static String sessionOf(String streamJson) {
    int at = streamJson.indexOf("\"session_id\":\"");
    return streamJson.substring(at + 14, streamJson.indexOf('"', at + 14));
  }
}
