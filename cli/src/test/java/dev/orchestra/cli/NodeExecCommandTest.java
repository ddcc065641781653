package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestra node exec}, {@code node skip} and {@code runs finish} as a pipeline's stages run
 * them, each in a process of its own in the workspace: exit codes, result files (checked against
 * their schema), what the records hold afterwards.
 */
class NodeExecCommandTest {
  private static final String SECRET = "sk-test-0123456789abcdef";

  @TempDir Path dir;
  PipelineWorkspace ws;

  @BeforeEach
  void setUp() {
    ws = new PipelineWorkspace(dir);
    ws.write(
        "flow.yaml",
        """
        version: 1
        name: flow
        defaults: {agent: command, attempts: 1}
        limits: {budget: {usd: 1}}
        nodes:
          ok:
            command: 'echo "token is $MY_TOKEN"'
            credentials: [{MY_TOKEN: deploy-key}]
          unchecked: {command: "true", checks: [{exists: never.txt}]}
          broken: {command: "exit 3"}
          slow: {command: "sleep 30", timeout: 1s}
          after-broken: {needs: [broken], command: "true"}
          pricey: {command: "true"}
          gated: {command: "echo approved", approval: {message: "Go?"}}
        """);
  }

  private String plan() throws Exception {
    return ws.plan("flow.yaml").get("run").asText();
  }

  @Test
  void exitsWithTheCodeOfHowTheNodeEndedAndWritesItsResult() throws Exception {
    String run = plan();
    ws.env.put("ORCHESTRA_CREDENTIAL_DEPLOY_KEY", SECRET);

    int ok = ws.exec(run, "ok").exitCode();
    int unchecked = ws.exec(run, "unchecked").exitCode();
    int broken = ws.exec(run, "broken").exitCode();
    int slow = ws.exec(run, "slow").exitCode();
    int skipped = ws.exec(run, "after-broken").exitCode();
    int pricey = ws.exec(run, "pricey", "--spent-usd", "1.25", "--spent-tokens", "900").exitCode();

    assertThat(List.of(ok, unchecked, broken, slow, skipped, pricey))
        .containsExactly(0, 10, 11, 12, 14, 13);
    for (String node : List.of("ok", "unchecked", "broken", "slow", "after-broken", "pricey")) {
      JsonNode result = ws.resultOf(node);
      assertThat(PipelineWorkspace.violations(PipelineWorkspace.RESULT_SCHEMA, result))
          .as(node)
          .isEmpty();
      assertThat(result.get("node").asText()).isEqualTo(node);
    }
    assertThat(ws.resultOf("unchecked").get("reason").asText()).contains("never.txt");
    assertThat(ws.resultOf("after-broken").get("reason").asText())
        .isEqualTo("upstream node 'broken' error");
    assertThat(ws.resultOf("pricey").get("reason").asText())
        .isEqualTo("run budget exceeded: $1.25 > $1");
    String okOutput =
        Files.readString(ws.store().runDirectory(run).resolve("nodes/ok/1/stdout.log"));
    assertThat(okOutput).isEqualTo("token is ****\n");
  }

  @Test
  void executorLocalRunsADockerNodeHereAsInsideItsContainer() throws Exception {
    ws.write(
        "docker.yaml",
        """
        version: 1
        name: docker
        nodes:
          boxed:
            agent: command
            command: "echo ran here"
            executor: docker
            image: orchestra-test-never-pulled:none
        """);
    String run = ws.plan("docker.yaml").get("run").asText();

    CliRun here = ws.exec(run, "boxed", "--executor", "local");

    assertThat(here.exitCode()).as(here.err()).isZero();
    assertThat(here.out()).contains("boxed            | ran here");
  }

  @Test
  void aMissingCredentialFailsTheNodeNamingTheVariableToBind() throws Exception {
    String run = plan();

    CliRun r = ws.exec(run, "ok");

    assertThat(r.exitCode()).isEqualTo(11);
    assertThat(ws.resultOf("ok").get("reason").asText())
        .contains("ORCHESTRA_CREDENTIAL_DEPLOY_KEY");
  }

  @Test
  void refusesWhatItCannotRunWithExitTwoNamingTheFix() throws Exception {
    String run = plan();

    CliRun early = ws.exec(run, "after-broken");
    CliRun gated = ws.exec(run, "gated");
    CliRun unknownNode = ws.exec(run, "nope");
    CliRun unknownRun = ws.exec("20261201-101500-3fa2", "ok");
    CliRun badExecutor = ws.exec(run, "ok", "--executor", "docker");

    assertThat(early.exitCode()).isEqualTo(2);
    assertThat(early.err())
        .contains(
            "upstream node 'broken' has no records in .orchestra/runs/"
                + run
                + ": unstash 'orchestra-"
                + run
                + "-broken' first");
    assertThat(gated.exitCode()).isEqualTo(2);
    assertThat(gated.err()).contains("`orchestra approve " + run + " gated`");
    assertThat(unknownNode.exitCode()).isEqualTo(2);
    assertThat(unknownNode.err()).contains("has no top-level node 'nope'");
    assertThat(unknownRun.exitCode()).isEqualTo(2);
    assertThat(badExecutor.exitCode()).isEqualTo(2);
    assertThat(Files.exists(ws.result("after-broken"))).isFalse();
  }

  @Test
  void runsAGatedNodeOnceApprovedAndASucceededNodeNotAgain() throws Exception {
    String run = plan();

    CliRun approve = ws.run("approve", run, "gated", "--by", "alice");
    CliRun first = ws.exec(run, "gated");
    CliRun again = ws.exec(run, "gated");

    assertThat(approve.exitCode()).as(approve.err()).isZero();
    // A planned run is not resumed: the approval names what runs the node.
    assertThat(approve.out())
        .contains("`orchestra node exec --run " + run + " --node gated` runs the node")
        .doesNotContain("orchestra resume");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("approved by alice").contains("approved\n");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("succeeded already; nothing ran");
    long started =
        ws.store().events(run).stream()
            .filter(e -> e.event() instanceof Event.NodeStarted s && s.node().equals("gated"))
            .count();
    assertThat(started).isEqualTo(1);
  }

  @Test
  void sigtermEndsTheNodesProcessesRecordsItCancelledAndExits130() throws Exception {
    ws.write(
        "wait.yaml",
        """
        version: 1
        name: wait
        nodes:
          wait: {agent: command, command: 'sleep 300 & echo $! > sleeper.pid; echo waiting; wait'}
        """);
    String run = ws.plan("wait.yaml").get("run").asText();
    Process p = ws.start("node", "exec", "--run", run, "--node", "wait", "--result", "wait.json");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); !line.contains("| waiting"); line = out.readLine()) {
      assertThat(line).as("node exec ended before its node started").isNotNull();
    }
    long sleeper = Long.parseLong(Files.readString(dir.resolve("sleeper.pid")).trim());

    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isEqualTo(130);
    // Killed before node exec exits; the machine's init may take a moment to reap it.
    assertThat(gone(sleeper)).as("the agent's background process " + sleeper + " ended").isTrue();
    JsonNode result =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(dir.resolve("wait.json").toFile());
    assertThat(result.get("status").asText()).isEqualTo("cancelled");
    assertThat(result.get("reason").asText()).isEqualTo("cancelled by SIGTERM");
    List<RecordedEvent> events = ws.store().events(run);
    assertThat(events.get(events.size() - 1).event())
        .isInstanceOfSatisfying(
            Event.NodeFinished.class, f -> assertThat(f.status()).isEqualTo(NodeStatus.CANCELLED));
  }

  private static boolean gone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Test
  void skipRecordsTheNodeOnceAndFinishRecordsWhatNeverRan() throws Exception {
    String run = plan();
    ws.env.put("ORCHESTRA_CREDENTIAL_DEPLOY_KEY", SECRET);
    ws.exec(run, "ok");

    CliRun skip =
        ws.run(
            "node",
            "skip",
            "--run",
            run,
            "--node",
            "broken",
            "--reason",
            "fork PR: no credentials");
    CliRun twice = ws.run("node", "skip", "--run", run, "--node", "broken", "--reason", "again");
    CliRun unknown = ws.run("node", "skip", "--run", run, "--node", "nope", "--reason", "x");
    CliRun finish = ws.run("runs", "finish", run, "--cancel", "build aborted");
    CliRun again = ws.run("runs", "finish", run);
    CliRun missing = ws.run("runs", "finish", "20261201-101500-3fa2");

    assertThat(skip.exitCode()).as(skip.err()).isZero();
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("has ended already (skipped)");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(finish.exitCode()).isEqualTo(1);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(missing.exitCode()).isEqualTo(2);
    RunResult result = ws.store().result(run).orElseThrow();
    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(result.reason()).isEqualTo("build aborted");
    assertThat(result.nodes().get("ok").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("broken").reason()).isEqualTo("fork PR: no credentials");
    assertThat(result.nodes().get("after-broken").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("after-broken").reason())
        .isEqualTo("upstream node 'broken' skipped");
    assertThat(result.nodes().get("slow").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("slow").reason()).isEqualTo("build aborted");
    List<RecordedEvent> events = ws.store().events(run);
    assertThat(events.stream().filter(e -> e.event() instanceof Event.RunFinished)).hasSize(1);
  }

  @Test
  void finishExitsZeroForARunWhoseNodesAllSucceeded() throws Exception {
    ws.write(
        "small.yaml",
        """
        version: 1
        name: small
        nodes:
          one: {agent: command, command: "echo one"}
          two: {agent: command, needs: [one], command: "echo two"}
        """);
    String run = ws.plan("small.yaml").get("run").asText();
    ws.exec(run, "one");
    ws.exec(run, "two");

    CliRun finish = ws.run("runs", "finish", run);
    CliRun report = ws.run("report", run, "--junit", "junit.xml", "--summary");

    assertThat(finish.exitCode()).as(finish.err()).isZero();
    assertThat(finish.out()).contains("run " + run + " succeeded");
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains("succeeded: 2/2 nodes");
    assertThat(Files.readString(dir.resolve("junit.xml")))
        .contains("name=\"one\"")
        .contains("name=\"two\"");
  }
}
