package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.Decision;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import java.math.BigDecimal;
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
 * A run planned for a pipeline, run one node per call as {@code node exec} runs it and ended as
 * {@code runs finish} ends it (docs/pipeline-plan.md), over the memory store. The same over the
 * file store, with processes writing one run at once, is in the {@code store} and {@code cli}
 * modules.
 */
class PlannedRunTest {
  @TempDir Path dir;
  EngineFixture f;
  PlannedRuns planned;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
    planned = f.engine.planned(Trust.UNTRUSTED);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Workflow chain() {
    return f.workflow(
        "chain.yaml",
        """
        version: 1
        name: chain
        inputs:
          who: {default: world}
        defaults: {agent: command}
        nodes:
          spec: {prompt: "spec for {{ inputs.who }}", command: 'cat "$ORCHESTRA_PROMPT_FILE"'}
          build:
            needs: [spec]
            prompt: "built from: {{ nodes.spec.output }}"
            command: 'cat "$ORCHESTRA_PROMPT_FILE"'
          test:
            needs: [build]
            command: "echo tested"
        """);
  }

  private NodeResult exec(String runId, String node) throws InterruptedException {
    return exec(runId, node, NodeOptions.defaults());
  }

  private NodeResult exec(String runId, String node, NodeOptions options)
      throws InterruptedException {
    NodeRun run = planned.runNode(runId, node, options.withListener(f::record));
    if (run instanceof NodeRun.Ended ended) {
      return ended.result();
    }
    assertThat(run).as("node exec of " + node).isInstanceOf(NodeRun.Started.class);
    RunResult part =
        ((NodeRun.Started) run)
            .handle()
            .await(Duration.ofSeconds(60))
            .orElseThrow(() -> new AssertionError(node + " did not end within 60 s"));
    return part.nodes().get(node);
  }

  @Test
  void plansARunWithoutRunningAnythingInTopologicalOrder() {
    Workflow wf =
        f.workflow(
            "diamond.yaml",
            """
            version: 1
            name: diamond
            defaults: {agent: command}
            nodes:
              last: {needs: [left, right], command: "true"}
              right: {needs: [first], command: "true"}
              left: {needs: [first], command: "true", attempts: 2, timeout: 1m}
              first: {command: "true"}
            """);

    Plan plan = planned.plan(wf, Map.of(), null);

    assertThat(plan.nodes())
        .extracting(Plan.Node::id)
        .containsExactly("first", "right", "left", "last");
    assertThat(plan.nodes().get(3).upstream()).containsExactly("first", "right", "left");
    // 2 x 1m + the backoff before the second attempt (2 s) + a minute for start-up.
    assertThat(plan.nodes().get(2).stageTimeout()).isEqualTo(Duration.ofSeconds(182));
    assertThat(f.store.events(plan.runId()))
        .extracting(RecordedEvent::event)
        .singleElement()
        .isInstanceOf(Event.RunStarted.class);
    assertThat(f.store.result(plan.runId())).isEmpty();
  }

  @Test
  void runsOneNodeAtATimeFromTheRecordsAndFinishesAsOneRun() throws Exception {
    Plan plan = planned.plan(chain(), Map.of("who", "jenkins"), null);
    String run = plan.runId();

    NodeResult spec = exec(run, "spec");
    NodeResult build = exec(run, "build");
    NodeResult test = exec(run, "test");
    RunResult result = planned.finish(run, null, List.of());

    assertThat(spec.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(build.output()).isEqualTo("built from: spec for jenkins");
    assertThat(test.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().keySet()).containsExactly("spec", "build", "test");
    List<RecordedEvent> events = f.store.events(run);
    assertThat(events).extracting(RecordedEvent::seq).isEqualTo(seqs(events.size()));
    assertThat(events.get(events.size() - 1).event()).isInstanceOf(Event.RunFinished.class);
    assertThat(events.stream().filter(e -> e.event() instanceof Event.RunStarted)).hasSize(1);
  }

  @Test
  void readsTheComposedWorkflowAndPromptFileAsPlannedNotAsTheyAreNow() throws Exception {
    f.write("prompt.md", "planned prompt");
    Workflow wf =
        f.composed(
            """
            version: 1
            name: inner
            nodes:
              greet: {agent: command, command: "echo inner as planned"}
            outputs:
              said: {value: "{{ nodes.greet.output }}"}
            """,
            """
            version: 1
            name: outer
            nodes:
              ask:
                agent: command
                prompt_file: prompt.md
                command: 'cat "$ORCHESTRA_PROMPT_FILE"'
              sub: {uses: inner.yaml}
            """);
    Plan plan = planned.plan(wf, Map.of(), null);
    f.write("prompt.md", "changed since");
    f.write("inner.yaml", "not: a workflow any more");

    NodeResult ask = exec(plan.runId(), "ask");
    NodeResult sub = exec(plan.runId(), "sub");

    assertThat(ask.output()).isEqualTo("planned prompt");
    assertThat(sub.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(sub.outputs()).containsEntry("said", "inner as planned");
    assertThat(plan.nodes()).extracting(Plan.Node::id).containsExactly("ask", "sub");
    assertThat(f.store.events(plan.runId()))
        .extracting(RecordedEvent::event)
        .anyMatch(e -> e instanceof Event.NodeFinished n && n.node().equals("sub/greet"));
  }

  @Test
  void retriesWithFeedbackInsideOneNodeExec() throws Exception {
    Workflow wf =
        f.workflow(
            "flaky.yaml",
            """
            version: 1
            name: flaky
            nodes:
              fix:
                agent: command
                command: 'if [ -e tried ]; then echo ok > done.txt; else touch tried; fi'
                attempts: 2
                backoff: {delay: 0s}
                checks: [{exists: done.txt}]
            """);
    Plan plan = planned.plan(wf, Map.of(), null);

    NodeResult fix = exec(plan.runId(), "fix");

    assertThat(fix.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(fix.attempts()).isEqualTo(2);
    assertThat(f.events(Event.NodeRetrying.class)).hasSize(1);
  }

  @Test
  void skipsANodeWhoseNeedFailedNamingTheFirstFailureDownTheChain() throws Exception {
    Workflow wf =
        f.workflow(
            "failing.yaml",
            """
            version: 1
            name: failing
            defaults: {agent: command, attempts: 1}
            nodes:
              spec: {command: "exit 3"}
              build: {needs: [spec], command: "echo never"}
              test: {needs: [build], command: "echo never"}
              docs: {command: "echo independent"}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();

    NodeResult spec = exec(run, "spec");
    NodeResult build = exec(run, "build");
    NodeResult test = exec(run, "test");
    NodeResult docs = exec(run, "docs");
    RunResult result = planned.finish(run, null, List.of());

    assertThat(spec.status()).isEqualTo(NodeStatus.ERROR);
    assertThat(build.status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(build.reason()).isEqualTo("upstream node 'spec' error");
    assertThat(test.reason()).isEqualTo("upstream node 'spec' error");
    assertThat(docs.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(f.events(Event.NodeStarted.class))
        .extracting(Event.NodeStarted::node)
        .containsExactly("spec", "docs");
  }

  @Test
  void anEndedNodeIsNotRunAgainAndANeedWithoutRecordsIsNamed() throws Exception {
    String run = planned.plan(chain(), Map.of(), null).runId();

    NodeRun early = planned.runNode(run, "build", NodeOptions.defaults());
    exec(run, "spec");
    int started = f.events(Event.NodeStarted.class).size();
    NodeRun again = planned.runNode(run, "spec", NodeOptions.defaults());

    assertThat(early).isEqualTo(new NodeRun.MissingUpstream(List.of("spec")));
    assertThat(again).isInstanceOf(NodeRun.Ended.class);
    assertThat(((NodeRun.Ended) again).result().status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(f.events(Event.NodeStarted.class)).hasSize(started);
    assertThat(planned.runNode(run, "nope", NodeOptions.defaults()))
        .isEqualTo(
            new NodeRun.Refused(
                "run " + run + " has no top-level node 'nope'; its nodes are spec, build, test"));
  }

  @Test
  void aGatedNodeRunsOnlyOnceApprovedAndFailsAloneWhenRejected() throws Exception {
    Workflow wf =
        f.workflow(
            "gates.yaml",
            """
            version: 1
            name: gates
            defaults: {agent: command}
            nodes:
              ship: {command: "echo shipped", approval: {message: "Ship it?"}}
              tell: {command: "echo told", approval: {}}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();

    NodeRun waiting = planned.runNode(run, "ship", NodeOptions.defaults());
    f.engine.decide(run, "ship", Decision.approve("alice", "go", Instant.now()));
    f.engine.decide(run, "tell", Decision.reject("bob", "not now", Instant.now()));
    NodeResult ship = exec(run, "ship");
    NodeResult tell = exec(run, "tell");

    assertThat(waiting).isEqualTo(new NodeRun.AwaitingApproval("ship"));
    assertThat(ship.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(tell.status()).isEqualTo(NodeStatus.FAILED);
    assertThat(tell.reason()).isEqualTo("rejected by bob: not now");
    assertThat(f.events(Event.NodeApproved.class))
        .extracting(Event.NodeApproved::by)
        .containsExactly("alice");
  }

  @Test
  void decidesAGateInsideAComposedWorkflowAsPlannedNotAsTheFileIsNow() throws Exception {
    Workflow wf =
        f.composed(
            """
            version: 1
            name: inner
            nodes:
              gate: {agent: command, command: "echo released", approval: {approvers: [alice]}}
            """,
            """
            version: 1
            name: outer
            nodes:
              sub: {uses: inner.yaml}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();
    f.write("inner.yaml", "not: a workflow any more");

    DecisionOutcome bob =
        f.engine.decide(run, "sub/gate", Decision.approve("bob", null, Instant.now()));
    DecisionOutcome alice =
        f.engine.decide(run, "sub/gate", Decision.approve("alice", "go", Instant.now()));
    NodeResult sub = exec(run, "sub");

    assertThat(bob).isInstanceOf(DecisionOutcome.Refused.class);
    assertThat(alice).isInstanceOf(DecisionOutcome.Recorded.class);
    assertThat(sub.status()).isEqualTo(NodeStatus.SUCCEEDED);
  }

  @Test
  void aNodeThePipelineRejectedWithoutRunningItFailsAtTheFinishAndSkipsItsDependants()
      throws Exception {
    Workflow wf =
        f.workflow(
            "rejected.yaml",
            """
            version: 1
            name: rejected
            defaults: {agent: command}
            nodes:
              deploy: {command: "echo deployed", approval: {approvers: [bob]}}
              announce: {needs: [deploy], command: "echo announced"}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();
    f.engine.decide(run, "deploy", Decision.reject("bob", "not today", Instant.now()));

    RunResult result = planned.finish(run, null, List.of(f::record));

    assertThat(result.nodes().get("deploy").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("deploy").reason()).isEqualTo("rejected by bob: not today");
    assertThat(result.nodes().get("announce").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("announce").reason()).isEqualTo("upstream node 'deploy' failed");
    assertThat(f.store.events(run))
        .extracting(RecordedEvent::event)
        .filteredOn(e -> e instanceof Event.NodeRejected)
        .singleElement()
        .isEqualTo(
            new Event.NodeRejected(
                "deploy", "bob", "not today", f.store.decisions(run).get("deploy").time()));
  }

  @Test
  void aRunBudgetSpentByTheOtherNodesStopsTheNextOneBeforeItRuns() throws Exception {
    Workflow wf =
        f.workflow(
            "budget.yaml",
            """
            version: 1
            name: budget
            limits: {budget: {usd: 1}}
            nodes:
              more: {agent: command, command: "echo never"}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();

    NodeResult more =
        exec(
            run, "more", NodeOptions.defaults().withSpent(new Usage(10, 0, new BigDecimal("1.5"))));

    assertThat(more.status()).isEqualTo(NodeStatus.BUDGET_EXCEEDED);
    assertThat(more.reason()).isEqualTo("run budget exceeded: $1.5 > $1");
    assertThat(f.events(Event.NodeStarted.class)).isEmpty();
  }

  @Test
  void aCancelledNodeRecordsTheReasonAndFinishCancelsWhatNeverRan() throws Exception {
    String run = planned.plan(chain(), Map.of(), null).runId();
    Workflow slow =
        f.workflow(
            "slow.yaml",
            """
            version: 1
            name: slow
            nodes:
              wait: {agent: command, command: "sleep 60"}
              after: {agent: command, needs: [wait], command: "true"}
            """);
    String slowRun = planned.plan(slow, Map.of(), null).runId();
    NodeRun started =
        planned.runNode(slowRun, "wait", NodeOptions.defaults().withListener(f::record));
    RunHandle handle = ((NodeRun.Started) started).handle();
    f.await(Event.NodeStarted.class, e -> e.node().equals("wait"));

    handle.cancel("cancelled by SIGTERM");
    NodeResult wait = handle.await(Duration.ofSeconds(30)).orElseThrow().nodes().get("wait");
    RunResult result = planned.finish(slowRun, "build aborted", List.of());

    assertThat(wait.status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(wait.reason()).isEqualTo("cancelled by SIGTERM");
    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("after").reason()).isEqualTo("build aborted");
    assertThat(planned.finish(run, null, List.of()).nodes().get("spec").reason())
        .isEqualTo("no node exec ran it before the run was finished");
  }

  @Test
  void aSkippedNodeCannotBeSkippedAgainAndItsDependantsAreSkippedForIt() throws Exception {
    String run = planned.plan(chain(), Map.of(), null).runId();

    NodeRun skipped = planned.skipNode(run, "spec", "fork pull request #12: credentials withheld");
    NodeRun again = planned.skipNode(run, "spec", "again");
    NodeResult build = exec(run, "build");
    RunResult result = planned.finish(run, null, List.of());

    assertThat(((NodeRun.Ended) skipped).result().status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(again).isInstanceOf(NodeRun.Refused.class);
    assertThat(build.reason()).isEqualTo("upstream node 'spec' skipped");
    assertThat(result.nodes().get("test").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("test").reason()).isEqualTo("upstream node 'spec' skipped");
  }

  @Test
  void replanKeepsTheSucceededNodesAndRunsTheOthersAgain() throws Exception {
    Workflow wf =
        f.workflow(
            "again.yaml",
            """
            version: 1
            name: again
            defaults: {agent: command, attempts: 1}
            nodes:
              spec: {command: "echo spec"}
              build: {needs: [spec], command: "test -e fixed && echo built"}
            """);
    String run = planned.plan(wf, Map.of(), null).runId();
    exec(run, "spec");
    exec(run, "build");
    planned.finish(run, null, List.of());
    f.write("fixed", "");

    Plan again = planned.replan(run);
    NodeResult spec = exec(run, "spec");
    NodeResult build = exec(run, "build");
    RunResult result = planned.finish(run, null, List.of());

    assertThat(again.nodes()).extracting(Plan.Node::succeeded).containsExactly(true, false);
    assertThat(spec.attempts()).isEqualTo(1);
    assertThat(build.attempts()).isEqualTo(2);
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void refusesToPlanWithoutARequiredInputButDescribesTheWorkflowWithout() {
    Workflow wf =
        f.workflow(
            "needs-input.yaml",
            """
            version: 1
            name: needs-input
            inputs:
              task: {required: true}
            nodes:
              only: {agent: command, command: "echo {{ inputs.task }}"}
            """);

    assertThatThrownBy(() -> planned.plan(wf, Map.of(), null))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("-i NAME=VALUE");
    Plan described = planned.describe(wf, Map.of());
    assertThat(described.runId()).isNull();
    assertThat(described.inputs()).isEmpty();
  }

  private static List<Long> seqs(int n) {
    return java.util.stream.LongStream.rangeClosed(1, n).boxed().toList();
  }
}
