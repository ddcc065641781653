package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code critic} check through the real engine, with the {@code command} agent as critic: the
 * node's command runs again with {@code ORCHESTRA_CRITIC=1} and the critic's prompt on stdin, and
 * its stdout is the critic's answer.
 */
class CriticTest {
  private static final String SECRET = "critic-secret-7Hq2ZpW0";

  @TempDir Path dir;
  EngineFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  /** A workflow whose one node works with {@code work} and judges with {@code critic}. */
  private RunResult run(String work, String critic, String nodeKeys) throws Exception {
    f.write("work.sh", work);
    f.write("critic.sh", critic);
    return f.run(
        f.workflow(
            "critic.yaml",
            """
            version: 1
            name: critic
            nodes:
              build:
                agent: command
                command: 'if [ -n "$ORCHESTRA_CRITIC" ]; then sh critic.sh; else sh work.sh; fi'
                checks:
                  - critic: "The greeting is {{ env.GREETING }}."
            """
                + nodeKeys));
  }

  @Test
  void failingVerdictLeadsToASecondAttemptWhosePromptCarriesTheReason() throws Exception {
    f = new EngineFixture(dir);
    RunResult result =
        run(
            "echo 'wrote the greeting'\n",
            """
            cat > "critic-saw-$ORCHESTRA_ATTEMPT.txt"
            if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then
              echo '{"pass": false, "reason": "the greeting must end with x"}'
            else
              echo '{"pass": true}'
            fi
            """,
            "    attempts: 3\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("build").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("build").output()).isEqualTo("wrote the greeting");
    assertThat(f.events(Event.CheckFinished.class))
        .containsExactly(
            new Event.CheckFinished("build", "critic", false, "the greeting must end with x"),
            new Event.CheckFinished("build", "critic", true, ""));
    List<AttemptRecord> attempts = f.store.attempts(result.runId(), "build");
    assertThat(attempts.get(1).prompt()).contains("the greeting must end with x");
    String critique = f.read("critic-saw-1.txt");
    assertThat(critique)
        .contains("The greeting is hello.", "wrote the greeting", "\"pass\": true, \"reason\"");
    Path criticDir = attemptDir(result, 1).resolve("critic-1");
    assertThat(Files.readString(criticDir.resolve("prompt.txt"))).isEqualTo(critique);
    assertThat(Files.readString(criticDir.resolve("transcript.log")))
        .isEqualTo("stdout| {\"pass\": false, \"reason\": \"the greeting must end with x\"}\n");
  }

  @Test
  void findsTheVerdictInAFencedBlockAmidProse() throws Exception {
    f = new EngineFixture(dir);
    RunResult result =
        run(
            "echo done\n",
            """
            echo 'I read the diff and the message.'
            echo '```json'
            echo '{"pass": "true", "reason": "all criteria are met"}'
            echo '```'
            echo 'Thanks!'
            """,
            "");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(f.events(Event.CheckFinished.class))
        .containsExactly(new Event.CheckFinished("build", "critic", true, "all criteria are met"));
  }

  @Test
  void anAnswerWithoutAVerdictFailsTheCheckAndQuotesTheAnswer() throws Exception {
    f = new EngineFixture(dir);
    RunResult result = run("echo done\n", "echo 'I cannot decide {maybe}.'\n", "    attempts: 1\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("build").reason())
        .isEqualTo("check 'critic' failed on attempt 1, the last allowed");
    assertThat(f.events(Event.CheckFinished.class))
        .containsExactly(
            new Event.CheckFinished(
                "build",
                "critic",
                false,
                "the critic's answer has no verdict {\"pass\": …}: I cannot decide {maybe}."));
  }

  @Test
  void aCriticThatFailsFailsTheCheckWithItsReason() throws Exception {
    f = new EngineFixture(dir);
    RunResult result =
        run("echo done\n", "echo 'model unavailable' >&2\nexit 3\n", "    attempts: 1\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(f.events(Event.CheckFinished.class))
        .containsExactly(
            new Event.CheckFinished(
                "build",
                "critic",
                false,
                "the critic agent did not answer: command exited with code 3\nmodel unavailable"));
  }

  @Test
  void masksTheNodesCredentialsInTheCriticsAnswerAndRecords() throws Exception {
    f = new EngineFixture(dir, Map.of("GREETING", "hello", "ORCHESTRA_CREDENTIAL_REVIEW", SECRET));
    RunResult result =
        run(
            "echo done\n",
            """
            echo "token is $REVIEW_TOKEN"
            echo "{\\"pass\\": false, \\"reason\\": \\"leaked $REVIEW_TOKEN\\"}"
            """,
            "    attempts: 1\n    credentials: [{REVIEW_TOKEN: review}]\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(f.events(Event.CheckFinished.class))
        .containsExactly(new Event.CheckFinished("build", "critic", false, "leaked ****"));
    Path criticDir = attemptDir(result, 1).resolve("critic-1");
    assertThat(Files.readString(criticDir.resolve("transcript.log")))
        .contains("token is ****")
        .doesNotContain(SECRET);
    assertThat(f.everythingRecorded(result.runId())).doesNotContain(SECRET);
  }

  @Test
  void theCriticsUsageCountsForTheAttemptTheNodeAndTheRun() throws Exception {
    f = new EngineFixture(dir, new MeteredAgent());
    RunResult result =
        run("echo usage 10\n", "echo usage 40\necho '{\"pass\": true}'\n", "    attempts: 1\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("build").usage().inputTokens()).isEqualTo(50);
    assertThat(result.usage().inputTokens()).isEqualTo(50);
    assertThat(f.store.attempts(result.runId(), "build").get(0).usage().inputTokens())
        .isEqualTo(50);
    assertThat(f.events(Event.NodeFinished.class).get(0).usage().inputTokens()).isEqualTo(50);
  }

  @Test
  void theCriticsUsageCountsAgainstTheNodesBudget() throws Exception {
    f = new EngineFixture(dir, new MeteredAgent());
    RunResult result =
        run(
            "echo usage 10\n",
            "echo usage 40\nsleep 1000\n",
            "    attempts: 1\n    budget: {tokens: 30}\n");

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("build").reason())
        .isEqualTo("node budget exceeded: 50 tokens > 30");
  }

  @Test
  void aCriticOfAnotherAgentGetsItsModelAndTheNodesCredentialsUnderItsOwnVariable()
      throws Exception {
    ScriptedAgent codex =
        new ScriptedAgent("codex", (node, attempt) -> AgentResult.completed("coded", null, null));
    ScriptedAgent claude =
        new ScriptedAgent(
            "claude",
            (node, attempt) ->
                AgentResult.completed(
                    "{\"pass\": true, \"reason\": \"fine\"}", new Usage(7, 3, null), null));
    f =
        new EngineFixture(
            dir, Map.of("GREETING", "hello", "ORCHESTRA_CREDENTIAL_KEY", SECRET), codex, claude);
    RunResult result =
        f.run(
            f.workflow(
                "other.yaml",
                """
                version: 1
                name: other
                nodes:
                  build:
                    agent: codex
                    model: gpt-5-codex
                    args: [--sandbox, workspace-write]
                    prompt: Build it.
                    credentials: [key]
                    checks:
                      - critic: {agent: claude, model: opus, prompt: "Is it built?"}
                """));

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("build").usage().totalTokens()).isEqualTo(10);
    assertThat(codex.requests()).hasSize(1);
    assertThat(codex.requests().get(0).env()).containsEntry("OPENAI_API_KEY", SECRET);
    assertThat(claude.requests()).hasSize(1);
    AgentRequest critic = claude.requests().get(0);
    assertThat(critic.node().agent()).isEqualTo("claude");
    assertThat(critic.node().model()).isEqualTo("opus");
    assertThat(critic.node().args()).isNull();
    assertThat(critic.node().checks()).isEmpty();
    assertThat(critic.env())
        .containsEntry("ANTHROPIC_API_KEY", SECRET)
        .containsEntry("ORCHESTRA_CRITIC", "1")
        .doesNotContainKey("OPENAI_API_KEY");
    assertThat(critic.prompt()).contains("Is it built?", "coded");
    assertThat(critic.resumeSession()).isNull();
    // Its agent writes outside the records; its files are copied into critic-1 there, masked.
    assertThat(critic.attemptDir())
        .isEqualTo(dir.resolve(".scratch/" + result.runId() + "/build/1/critic-1"));
  }

  @Test
  void theAgentAndItsCriticSeeModelAndEndpointRenderedFromInputs() throws Exception {
    ScriptedAgent codex =
        new ScriptedAgent(
            "codex",
            // One answer serves both: the node's output and, as its critic, a verdict.
            (node, attempt) ->
                AgentResult.completed("coded {\"pass\": true}", new Usage(1, 1, null), null));
    f = new EngineFixture(dir, Map.of(), codex);
    RunResult result =
        f.run(
            f.workflow(
                "rendered.yaml",
                """
                version: 1
                name: rendered
                inputs:
                  gateway: {default: "http://127.0.0.1:9"}
                  model: {default: gpt-5.5}
                defaults:
                  endpoint: "{{ inputs.gateway }}/v1"
                nodes:
                  build:
                    agent: codex
                    model: "{{ inputs.model }}"
                    prompt: Build it.
                    checks:
                      - critic: {prompt: "Is it built?"}
                """),
            RunOptions.defaults().withInputs(Map.of("model", "gpt-5.5-mini")));

    assertThat(result.nodes().get("build").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(codex.requests())
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.node().endpoint()).isEqualTo("http://127.0.0.1:9/v1");
              assertThat(r.node().model()).isEqualTo("gpt-5.5-mini");
            });
  }

  private Path attemptDir(RunResult result, int attempt) {
    return f.store.attemptDirectory(result.runId(), "build", attempt);
  }
}
