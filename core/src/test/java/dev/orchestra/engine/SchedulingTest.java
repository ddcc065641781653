package dev.orchestra.engine;

import static dev.orchestra.engine.EngineFixture.finished;
import static dev.orchestra.engine.EngineFixture.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulingTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void startsTheFastBranchesChildBeforeTheSlowSiblingEnds() throws Exception {
    // 'slow' can only end after 'fast_child' wrote to the pipe: a level-by-level scheduler would
    // wait for 'slow' before starting 'fast_child' and the run would time out instead.
    new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start().waitFor();
    Workflow wf =
        f.workflow(
            "diamond.yaml",
            """
            version: 1
            name: diamond
            defaults: {agent: command, timeout: 20s}
            nodes:
              root: {command: "true"}
              slow: {needs: [root], command: "read line < pipe; echo $line"}
              fast: {needs: [root], command: "true"}
              fast_child: {needs: [fast], command: "echo go > pipe"}
              join: {needs: [slow, fast_child], command: "true"}
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.indexOf(started("fast_child"))).isLessThan(f.indexOf(finished("slow")));
    assertThat(result.nodes().get("slow").output()).isEqualTo("go");
    assertThat(f.indexOf(started("join"))).isGreaterThan(f.indexOf(finished("fast_child")));
  }

  @Test
  void neverRunsMoreNodesThanTheGlobalCap() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nname: wide\ndefaults: {agent: command}\nlimits: {concurrency: 3}\nnodes:\n");
    for (int i = 0; i < 9; i++) {
      yaml.append("  n").append(i).append(": {command: \"sleep 0.2\"}\n");
    }
    RunResult result = f.run(f.workflow("wide.yaml", yaml.toString()));

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(maxRunning()).isEqualTo(3);
  }

  @Test
  void neverRunsMoreNodesOfAnAgentThanItsCap() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nname: capped\ndefaults: {agent: command}\n"
                + "limits: {concurrency: 8, agents: {command: 2}}\nnodes:\n");
    for (int i = 0; i < 6; i++) {
      yaml.append("  n").append(i).append(": {command: \"sleep 0.2\"}\n");
    }
    RunResult result = f.run(f.workflow("capped.yaml", yaml.toString()));

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(maxRunning()).isEqualTo(2);
  }

  @Test
  void concurrencyOptionOverridesTheWorkflowLimit() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nname: wide\ndefaults: {agent: command}\nlimits: {concurrency: 4}\nnodes:\n");
    for (int i = 0; i < 4; i++) {
      yaml.append("  n").append(i).append(": {command: \"sleep 0.1\"}\n");
    }
    f.run(f.workflow("wide.yaml", yaml.toString()), RunOptions.defaults().withConcurrency(1));

    assertThat(maxRunning()).isEqualTo(1);
  }

  /** The most nodes running at once, sampled from the event order. */
  private int maxRunning() {
    int running = 0;
    int max = 0;
    for (Event e : f.events()) {
      if (e instanceof Event.NodeStarted) {
        max = Math.max(max, ++running);
      } else if (e instanceof Event.NodeFinished) {
        running--;
      }
    }
    return max;
  }

  @Test
  void skipsEverythingDownstreamOfAFailureButKeepsIndependentBranchesRunning() throws Exception {
    Workflow wf =
        f.workflow(
            "skip.yaml",
            """
            version: 1
            name: skip
            defaults: {agent: command, attempts: 1}
            nodes:
              broken: {command: "exit 3"}
              child: {needs: [broken], command: "true"}
              grandchild: {needs: [child], command: "true"}
              independent: {command: "echo fine"}
              tolerated: {command: "exit 1", continue_on_failure: true}
              after_tolerated: {needs: [tolerated], command: "echo ran"}
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.nodes().get("broken").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("broken").reason()).contains("exited with code 3");
    assertThat(result.nodes().get("child").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("grandchild").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("grandchild").reason()).isEqualTo("upstream node 'broken' error");
    assertThat(result.nodes().get("independent").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("after_tolerated").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("after_tolerated").output()).isEqualTo("ran");
    assertThat(f.indexOf(started("child"))).isEqualTo(-1);
  }

  @Test
  void retriesWithCheckFeedbackUntilTheCheckPasses() throws Exception {
    // The agent passes only once the feedback file names the failed check.
    Workflow wf =
        f.workflow(
            "retry.yaml",
            """
            version: 1
            name: retry
            defaults: {agent: command, backoff: {delay: 10ms, factor: 2, max: 50ms}}
            nodes:
              fix:
                attempts: 3
                prompt: "make done.txt"
                command: 'grep -q "exists: done.txt" "$ORCHESTRA_FEEDBACK_FILE" && touch done.txt; echo tried $ORCHESTRA_ATTEMPT'
                checks:
                  - exists: done.txt
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("fix").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("fix").output()).isEqualTo("tried 2");
    assertThat(f.events(Event.CheckFinished.class))
        .extracting(Event.CheckFinished::passed)
        .containsExactly(false, true);
    Event.NodeRetrying retry = f.events(Event.NodeRetrying.class).get(0);
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.delayMs()).isBetween(5L, 10L);
    assertThat(retry.reason()).isEqualTo("check 'exists: done.txt' failed");
    String secondPrompt = f.store.attempts(result.runId(), "fix").get(1).prompt();
    assertThat(secondPrompt).startsWith("make done.txt\n\n## Feedback: attempt 1");
    assertThat(secondPrompt).contains("`exists: done.txt` failed");
  }

  @Test
  void failsNamingTheCheckWhenTheLastAttemptStillFailsIt() throws Exception {
    Workflow wf =
        f.workflow(
            "fail.yaml",
            """
            version: 1
            name: fail
            defaults: {agent: command, backoff: {delay: 10ms, factor: 1, max: 10ms}}
            nodes:
              stubborn:
                attempts: 2
                command: "echo no"
                checks:
                  - run: "echo checked; exit 1"
                    name: always fails
              later: {needs: [stubborn], command: "true"}
            """);

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("stubborn").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("stubborn").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("stubborn").reason()).contains("check 'always fails' failed");
    assertThat(result.nodes().get("later").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(f.store.attempts(result.runId(), "stubborn").get(1).checks().get(0).output())
        .contains("checked");
  }

  @Test
  void endsInErrorForAnUnknownAgentAndForTheDockerExecutor() throws IOException, Exception {
    Workflow wf =
        f.workflow(
            "errors.yaml",
            """
            version: 1
            name: errors
            nodes:
              ai: {agent: claude, prompt: "hi"}
              boxed: {agent: command, command: "true", executor: docker, image: "alpine"}
            """);

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("ai").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("ai").reason()).contains("unknown agent 'claude'");
    assertThat(result.nodes().get("boxed").reason())
        .contains("the Docker executor is not available in this build");
  }

  @Test
  void runsNodesInTheWorkspaceDirectoryAndRefusesGitUrls() throws Exception {
    f.write("project/marker.txt", "here");
    RunResult local =
        f.run(
            f.workflow(
                "ws.yaml",
                """
                version: 1
                name: ws
                workspace: {repo: project}
                nodes:
                  look: {agent: command, command: "cat marker.txt"}
                """));
    RunResult remote =
        f.run(
            f.workflow(
                "remote.yaml",
                """
                version: 1
                name: remote
                workspace: {repo: "https://example.com/repo.git"}
                nodes:
                  look: {agent: command, command: "true"}
                """));

    assertThat(local.nodes().get("look").output()).isEqualTo("here");
    assertThat(remote.nodes().get("look").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(remote.nodes().get("look").reason()).contains("is a git URL");
  }
}
