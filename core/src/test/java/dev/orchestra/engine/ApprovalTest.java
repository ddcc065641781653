package dev.orchestra.engine;

import static dev.orchestra.engine.EngineFixture.finished;
import static dev.orchestra.engine.EngineFixture.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval gates: a node with {@code approval} waits, holding no slot, until a person decides; the
 * decision is recorded in the store, taken up by the running run, and outlives it.
 */
class ApprovalTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

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

  private Workflow gated(String extra) {
    return f.workflow(
        "gated.yaml",
        """
        version: 1
        name: gated
        inputs:
          version: {default: "1.2"}
        defaults: {agent: command, attempts: 1}
        limits: {concurrency: 1, agents: {command: 1}}
        nodes:
          build: {command: "echo built"}
          deploy:
            needs: [build]
            command: "echo deployed"
            approval:
              message: "Deploy {{ inputs.version }} ({{ nodes.build.output }})?"
              approvers: [alice, release-team]
          announce: {needs: [deploy], command: "echo announced"}
        """
            + extra);
  }

  private static RunResult end(RunHandle run) throws InterruptedException {
    return run.await(Duration.ofSeconds(60))
        .orElseThrow(() -> new AssertionError("the run did not end within 60 s"));
  }

  /** A run of {@code wf} cancelled while 'deploy' waited at its gate. */
  private RunHandle cancelledWhileWaiting(Workflow wf) throws InterruptedException {
    RunHandle run = f.start(wf, RunOptions.defaults());
    f.awaitWaiting("deploy");
    run.cancel();
    end(run);
    return run;
  }

  @Test
  void holdsNoSlotWhileItWaitsSoAnotherNodeRunsInTheOnlyOne() throws Exception {
    // One slot in all, and one for the agent: if the waiting node held it, 'other' could not run
    // and this test would fail at its await instead.
    RunHandle run = f.start(gated("  other: {command: \"echo other\"}\n"), RunOptions.defaults());
    f.awaitWaiting("deploy");
    f.await(Event.NodeFinished.class, e -> e.node().equals("other"));

    assertThat(run.approve("deploy", "alice", "go")).isInstanceOf(DecisionOutcome.Recorded.class);
    RunResult result = end(run);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.indexOf(finished("other"))).isLessThan(f.indexOf(started("deploy")));
    assertThat(f.indexOf(e -> e instanceof Event.NodeApproved))
        .isLessThan(f.indexOf(started("deploy")));
  }

  @Test
  void anApprovedNodeRunsAndTheRecordsSayWhoApprovedWhenAndWhy() throws Exception {
    RunHandle run = f.start(gated(""), RunOptions.defaults());
    Event.NodeWaitingApproval waiting = f.awaitWaiting("deploy");
    assertThat(waiting.message()).isEqualTo("Deploy 1.2 (built)?");
    assertThat(waiting.approvers()).containsExactly("alice", "release-team");

    DecisionOutcome outcome = run.approve("deploy", "alice", "ship it");
    RunResult result = end(run);

    Decision decision = ((DecisionOutcome.Recorded) outcome).decision();
    assertThat(((DecisionOutcome.Recorded) outcome).status())
        .isEqualTo(NodeStatus.WAITING_APPROVAL);
    assertThat(decision.by()).isEqualTo("alice");
    assertThat(decision.comment()).isEqualTo("ship it");
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("deploy").output()).isEqualTo("deployed");
    assertThat(f.events(Event.NodeApproved.class))
        .containsExactly(new Event.NodeApproved("deploy", "alice", "ship it", decision.time()));
    assertThat(f.store.decisions(result.runId())).containsExactly(Map.entry("deploy", decision));
    assertThat(f.store.events(result.runId()))
        .extracting(e -> e.event().type())
        .containsSubsequence(
            "node_finished", "node_waiting_approval", "node_approved", "node_started");
  }

  @Test
  void aRejectedNodeFailsWithWhoRejectedItAndItsDependantsAreSkipped() throws Exception {
    RunHandle run =
        f.start(gated("  independent: {command: \"echo fine\"}\n"), RunOptions.defaults());
    f.awaitWaiting("deploy");

    DecisionOutcome outcome = run.reject("deploy", "release-team", "not on a Friday");
    RunResult result = end(run);

    assertThat(outcome).isInstanceOf(DecisionOutcome.Recorded.class);
    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.reason()).isEqualTo("nodes did not succeed: deploy");
    assertThat(result.nodes().get("deploy").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("deploy").reason())
        .isEqualTo("rejected by release-team: not on a Friday");
    assertThat(result.nodes().get("announce").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("announce").reason()).isEqualTo("upstream node 'deploy' failed");
    assertThat(result.nodes().get("independent").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(f.indexOf(started("deploy"))).isEqualTo(-1);
    assertThat(f.events(Event.NodeRejected.class))
        .extracting(Event.NodeRejected::by, Event.NodeRejected::comment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("release-team", "not on a Friday"));
  }

  @Test
  void refusesDecisionsTheGateDoesNotAllowAndKeepsTheFirstDecision() throws Exception {
    RunHandle run = f.start(gated(""), RunOptions.defaults());
    f.awaitWaiting("deploy");

    assertThat(run.approve("deploy", "mallory", null))
        .isEqualTo(
            new DecisionOutcome.Refused(
                "'mallory' may not decide node 'deploy': its approvers are alice, release-team"));
    assertThat(run.approve("deplyo", "alice", null))
        .isEqualTo(
            new DecisionOutcome.Refused(
                "run "
                    + run.runId()
                    + " has no node 'deplyo'; did you mean 'deploy'? (nodes with an approval"
                    + " gate: deploy)"));
    assertThat(run.approve("build", "alice", null))
        .isEqualTo(
            new DecisionOutcome.Refused(
                "node 'build' of run "
                    + run.runId()
                    + " has no approval gate (nodes with an approval gate: deploy)"));
    assertThat(f.store.decisions(run.runId())).isEmpty();

    DecisionOutcome first = run.approve("deploy", "alice", null);
    Decision recorded = ((DecisionOutcome.Recorded) first).decision();
    assertThat(run.approve("deploy", "release-team", "me too"))
        .isEqualTo(new DecisionOutcome.Unchanged(recorded));
    assertThat(run.reject("deploy", "release-team", "changed my mind"))
        .isInstanceOfSatisfying(
            DecisionOutcome.Refused.class,
            r ->
                assertThat(r.reason())
                    .startsWith("node 'deploy' was approved by alice at ")
                    .endsWith(" already; a decision is final (start a new run to decide again)"));
    assertThat(end(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeApproved.class)).hasSize(1);
  }

  @Test
  void aDecisionMadeBeforeTheNodeWaitsIsUsedWhenItGetsToItsGate() throws Exception {
    new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start().waitFor();
    Workflow wf =
        f.workflow(
            "early.yaml",
            """
            version: 1
            name: early
            defaults: {agent: command, attempts: 1}
            nodes:
              slow: {command: "read line < pipe; echo $line"}
              deploy: {needs: [slow], command: "echo deployed", approval: {}}
            """);
    RunHandle run = f.start(wf, RunOptions.defaults());
    f.await(Event.NodeStarted.class, e -> e.node().equals("slow"));

    DecisionOutcome early = run.approve("deploy", "anyone", null);
    Files.writeString(dir.resolve("pipe"), "go\n");
    RunResult result = end(run);

    assertThat(early)
        .isInstanceOfSatisfying(
            DecisionOutcome.Recorded.class,
            r -> assertThat(r.status()).isEqualTo(NodeStatus.PENDING));
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeWaitingApproval.class)).isEmpty();
    assertThat(f.indexOf(e -> e instanceof Event.NodeApproved))
        .isGreaterThan(f.indexOf(finished("slow")))
        .isLessThan(f.indexOf(started("deploy")));
  }

  @Test
  void takesUpADecisionRecordedThroughTheStoreByAnotherCaller() throws Exception {
    // As `orchestra approve` does from another process: Engine.decide writes to the store, and the
    // run learns of it through the store's watch.
    RunHandle run = f.start(gated(""), RunOptions.defaults());
    f.awaitWaiting("deploy");

    DecisionOutcome outcome =
        f.engine.decide(run.runId(), "deploy", Decision.approve("alice", "via the store", T));
    RunResult result = end(run);

    assertThat(outcome)
        .isEqualTo(
            new DecisionOutcome.Recorded(
                Decision.approve("alice", "via the store", T), NodeStatus.WAITING_APPROVAL));
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeApproved.class))
        .containsExactly(new Event.NodeApproved("deploy", "alice", "via the store", T));
  }

  @Test
  void cancellingTheRunEndsAWaitingNodeCancelled() throws Exception {
    RunResult result = end(cancelledWhileWaiting(gated("")));

    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(result.nodes().get("deploy").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("deploy").reason()).isEqualTo("run cancelled");
    assertThat(result.nodes().get("announce").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(f.indexOf(started("deploy"))).isEqualTo(-1);
  }

  @Test
  void theRunTimeoutEndsAWaitingNode() throws Exception {
    Workflow wf =
        f.workflow(
            "timeout.yaml",
            """
            version: 1
            name: timeout
            limits: {timeout: 300ms}
            nodes:
              deploy: {agent: command, command: "true", approval: {message: "Anyone?"}}
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.reason()).isEqualTo("run timeout 300ms exceeded");
    assertThat(result.nodes().get("deploy").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("deploy").reason()).isEqualTo("run timeout 300ms exceeded");
  }

  @Test
  void aResumedRunWaitsAgainAtAGateNobodyDecided() throws Exception {
    Workflow wf = gated("");
    RunHandle first = cancelledWhileWaiting(wf);

    RunHandle again = f.start(wf, RunOptions.defaults().withResume(first.runId()));
    f.await(Event.RunStarted.class, Event.RunStarted::resumed);
    int resumed = f.indexOf(e -> e instanceof Event.RunStarted s && s.resumed());
    f.awaitFrom(resumed, Event.NodeWaitingApproval.class, e -> e.node().equals("deploy"));
    again.approve("deploy", "alice", null);
    RunResult result = end(again);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeWaitingApproval.class)).hasSize(2);
    assertThat(f.events().subList(resumed, f.events().size())).noneMatch(started("build")::test);
  }

  @Test
  void aDecisionRecordedWhileNoProcessRanTheRunLetsTheNodeThroughOnResume() throws Exception {
    Workflow wf = gated("");
    RunHandle first = cancelledWhileWaiting(wf);

    DecisionOutcome offline =
        f.engine.decide(first.runId(), "deploy", Decision.approve("release-team", "later", T));
    RunResult result = f.run(wf, RunOptions.defaults().withResume(first.runId()));

    assertThat(offline)
        .isEqualTo(
            new DecisionOutcome.Recorded(
                Decision.approve("release-team", "later", T), NodeStatus.CANCELLED));
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeWaitingApproval.class)).hasSize(1);
    assertThat(f.events(Event.NodeApproved.class))
        .containsExactly(new Event.NodeApproved("deploy", "release-team", "later", T));
  }

  @Test
  void aNodeApprovedBeforeAnInterruptionIsNotAskedAgain() throws Exception {
    Workflow wf =
        f.workflow(
            "interrupted.yaml",
            """
            version: 1
            name: interrupted
            defaults: {agent: command, attempts: 1}
            nodes:
              deploy:
                command: 'test -f fixed && echo deployed || { echo ready; sleep 1000; }'
                approval: {approvers: [alice]}
            """);
    RunHandle first = f.start(wf, RunOptions.defaults());
    f.awaitWaiting("deploy");
    first.approve("deploy", "alice", null);
    f.await(Event.NodeOutput.class, o -> o.text().equals("ready"));
    first.cancel();
    assertThat(end(first).nodes().get("deploy").status()).isEqualTo(NodeStatus.CANCELLED);
    Files.writeString(dir.resolve("fixed"), "");

    RunResult result = f.run(wf, RunOptions.defaults().withResume(first.runId()));

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("deploy").output()).isEqualTo("deployed");
    assertThat(f.events(Event.NodeWaitingApproval.class)).hasSize(1);
    assertThat(f.events(Event.NodeApproved.class)).hasSize(1);
  }

  @Test
  void aRejectionIsFinalForTheRunAlsoOnResume() throws Exception {
    Workflow wf = gated("");
    RunHandle first = f.start(wf, RunOptions.defaults());
    f.awaitWaiting("deploy");
    first.reject("deploy", "alice", "no");
    end(first);

    RunResult result = f.run(wf, RunOptions.defaults().withResume(first.runId()));

    assertThat(result.nodes().get("deploy").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("deploy").reason()).isEqualTo("rejected by alice: no");
    assertThat(f.events(Event.NodeWaitingApproval.class)).hasSize(1);
    assertThat(f.events(Event.NodeRejected.class)).hasSize(1);
  }

  @Test
  void gatesAComposedNodeBeforeItsInnerNodesAndAnInnerNodeByItsOwnId() throws Exception {
    Workflow wf =
        f.composed(
            """
            version: 1
            name: inner
            defaults: {agent: command, attempts: 1}
            nodes:
              first: {command: "echo first"}
              gate: {needs: [first], command: "echo inner gate passed", approval: {approvers: [bob]}}
            """,
            """
            version: 1
            name: outer
            nodes:
              review: {uses: inner.yaml, approval: {message: "Start the review?"}}
            """);
    RunHandle run = f.start(wf, RunOptions.defaults());
    assertThat(f.awaitWaiting("review").message()).isEqualTo("Start the review?");
    assertThat(f.indexOf(started("review/first"))).isEqualTo(-1);

    run.approve("review", "carol", null);
    f.awaitWaiting("review/gate");
    assertThat(run.approve("review/gate", "carol", null))
        .isInstanceOf(DecisionOutcome.Refused.class);
    run.approve("review/gate", "bob", null);
    RunResult result = end(run);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("review/gate").output()).isEqualTo("inner gate passed");
  }

  @Test
  void masksTheRunsSecretsInAComment() throws Exception {
    String token = "tok-0123456789abcdef";
    f.close();
    f = new EngineFixture(dir, Map.of("ORCHESTRA_CREDENTIAL_DEPLOY", token));
    Workflow wf =
        f.workflow(
            "secret.yaml",
            """
            version: 1
            name: secret
            nodes:
              deploy:
                agent: command
                command: "true"
                credentials: [{DEPLOY_TOKEN: deploy}]
                approval: {}
            """);
    RunHandle run = f.start(wf, RunOptions.defaults());
    f.awaitWaiting("deploy");

    run.approve("deploy", "alice", "use " + token + " please");
    RunResult result = end(run);

    assertThat(f.store.decisions(result.runId()).get("deploy").comment())
        .isEqualTo("use **** please");
    assertThat(f.everythingRecorded(result.runId())).doesNotContain(token);
  }

  @Test
  void theApprovalEventsAreInTheRecordsInOrder() throws IOException, InterruptedException {
    RunHandle run = f.start(gated(""), RunOptions.defaults());
    f.awaitWaiting("deploy");
    run.approve("deploy", "alice", null);
    String runId = end(run).runId();

    List<String> types =
        f.store.events(runId).stream()
            .filter(e -> "deploy".equals(e.event().node()))
            .map(e -> e.event().type())
            .toList();
    assertThat(types)
        .containsExactly(
            "node_waiting_approval",
            "node_approved",
            "node_started",
            "node_output",
            "node_finished");
  }
}
