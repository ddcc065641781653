package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets, rate limits and refused credentials, through an agent that reports usage. */
class AgentOutcomesTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir, new MeteredAgent());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void killsANodeOverItsBudgetAndStartsNothingDownstream() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "budget.yaml",
                """
                version: 1
                name: budget
                defaults: {agent: command}
                nodes:
                  spender:
                    budget: {tokens: 100}
                    command: "echo usage 50; echo usage 150; sleep 1000"
                  after: {needs: [spender], command: "true"}
                  independent: {command: "echo usage 500; echo fine"}
                """));

    assertThat(result.nodes().get("spender").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("spender").reason())
        .isEqualTo("node budget exceeded: 150 tokens > 100");
    assertThat(result.nodes().get("spender").usage().inputTokens()).isEqualTo(150);
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("independent").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("independent").output()).isEqualTo("usage 500\nfine");
    assertThat(result.usage().inputTokens()).isEqualTo(650);
    assertThat(f.store.attempts(result.runId(), "spender").get(0).usage().inputTokens())
        .isEqualTo(150);
  }

  @Test
  void theRunBudgetStopsEveryRunningNodeAndStartsNothingMore() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "runbudget2.yaml",
                """
                version: 1
                name: runbudget2
                defaults: {agent: command}
                limits: {budget: {tokens: 100}, concurrency: 4}
                nodes:
                  slow: {command: "echo usage 10; sleep 1000"}
                  spender: {command: "echo usage 95; sleep 1000"}
                  later: {needs: [spender], command: "true"}
                """));

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.reason()).isEqualTo("run budget exceeded: 105 tokens > 100");
    assertThat(result.nodes().get("slow").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("spender").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("later").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.usage().inputTokens()).isEqualTo(105);
  }

  @Test
  void anEstimatedCostOverTheBudgetIsShownAsAnEstimate() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "usd.yaml",
                """
                version: 1
                name: usd
                nodes:
                  spender:
                    agent: command
                    budget: {usd: 0.10}
                    command: "echo cost 0.05; echo cost 0.15; sleep 1000"
                """));

    assertThat(result.nodes().get("spender").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("spender").reason())
        .isEqualTo("node budget exceeded: ~$0.15 > $0.10");
    assertThat(result.nodes().get("spender").usage().costEstimated()).isTrue();
  }

  @Test
  void stopsTheRunWhenTheRunBudgetIsExceeded() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "runbudget.yaml",
                """
                version: 1
                name: runbudget
                defaults: {agent: command}
                limits: {budget: {tokens: 100}}
                nodes:
                  first: {command: "echo usage 60"}
                  second: {needs: [first], command: "echo usage 60; sleep 1000"}
                  third: {needs: [second], command: "true"}
                """));

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.reason()).isEqualTo("run budget exceeded: 120 tokens > 100");
    assertThat(result.nodes().get("first").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("second").status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(result.nodes().get("third").status()).isEqualTo(NodeStatus.SKIPPED);
  }

  @Test
  void retriesARateLimitedAttemptWithoutConsumingAnAttempt() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "ratelimit.yaml",
                """
                version: 1
                name: ratelimit
                nodes:
                  busy:
                    agent: command
                    attempts: 1
                    command: "if [ ! -f once ]; then touch once; exit 75; fi; echo answered"
                """));

    assertThat(result.nodes().get("busy").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("busy").output()).isEqualTo("answered");
    assertThat(f.events(Event.NodeRateLimited.class))
        .containsExactly(new Event.NodeRateLimited("busy", 2, 10, "rate limited: HTTP 429"));
  }

  @Test
  void endsInErrorAtOnceWhenTheCredentialsAreRefused() throws Exception {
    RunResult result =
        f.run(
            f.workflow(
                "auth.yaml",
                """
                version: 1
                name: auth
                nodes:
                  locked: {agent: command, attempts: 3, command: "exit 77"}
                """));

    assertThat(result.nodes().get("locked").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("locked").attempts()).isEqualTo(1);
    assertThat(result.nodes().get("locked").reason()).isEqualTo("HTTP 401: invalid key");
  }

  @Test
  void aRefusalWithoutMessageNamesTheVariableToSetAndIsNotRetried() throws Exception {
    f.close();
    f =
        new EngineFixture(
            dir,
            new ScriptedAgent(
                "codex",
                (node, attempt) ->
                    new AgentResult(AgentOutcome.AUTH_FAILED, "", null, null, null, null)));
    RunResult result =
        f.run(
            f.workflow(
                "refused.yaml",
                """
                version: 1
                name: refused
                nodes:
                  coder: {agent: codex, prompt: p, attempts: 3}
                """));

    assertThat(result.nodes().get("coder").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("coder").attempts()).isEqualTo(1);
    assertThat(result.nodes().get("coder").reason())
        .isEqualTo(
            "agent 'codex' of node 'coder' was refused its credentials; its CLI reads"
                + " OPENAI_API_KEY: list a credential on the node, e.g. credentials: [openai], and"
                + " store its value with `orchestra credentials add openai` or in"
                + " ORCHESTRA_CREDENTIAL_OPENAI");
  }
}
