package dev.orchestra.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How each event changes a run's state, and what happens to events that do not fit. */
class RunProjectorTest {
  static final String RUN = "20261201-100000-3fa2";
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final List<PlannedNode> PLAN =
      List.of(
          new PlannedNode("build", List.of(), "command", 2),
          new PlannedNode("deploy", List.of("build"), "claude", 1));

  private final List<RecordedEvent> sent = new ArrayList<>();

  private RecordedEvent at(long seq, Event e) {
    RecordedEvent r = new RecordedEvent(seq, T0.plusSeconds(seq), RUN, e);
    sent.add(r);
    return r;
  }

  private static Usage usage(long in, long out, String cost) {
    return new Usage(in, out, new BigDecimal(cost));
  }

  @Test
  void startsWithThePlannedNodesPendingAndTheRunRunning() {
    RunState s = RunProjector.of(RUN, PLAN).state();

    assertThat(s.id()).isEqualTo(RUN);
    assertThat(s.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(s.lastSeq()).isZero();
    assertThat(s.nodes()).extracting(NodeState::id).containsExactly("build", "deploy");
    NodeState deploy = s.node("deploy").orElseThrow();
    assertThat(deploy.status()).isEqualTo(NodeStatus.PENDING);
    assertThat(deploy.needs()).containsExactly("build");
    assertThat(deploy.agent()).isEqualTo("claude");
    assertThat(deploy.maxAttempts()).isEqualTo(1);
    assertThat(deploy.elapsed(T0)).isEmpty();
    assertThat(s.usage()).isEqualTo(Usage.ZERO);
  }

  /** Every event type in one run, the state checked after each. */
  @Test
  void foldsEveryEventType() {
    RunProjector p = RunProjector.of(null, PLAN);

    assertThat(p.apply(at(1, new Event.RunStarted("ship", Map.of("version", "1.2"), false))))
        .isTrue();
    RunState s = p.state();
    assertThat(s.id()).as("taken from the first event").isEqualTo(RUN);
    assertThat(s.workflow()).isEqualTo("ship");
    assertThat(s.inputs()).containsEntry("version", "1.2");
    assertThat(s.started()).isEqualTo(T0.plusSeconds(1));

    assertThat(p.apply(at(2, new Event.NodeStarted("build", 1)))).isTrue();
    NodeState build = p.state().node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.RUNNING);
    assertThat(build.attempt()).isEqualTo(1);
    assertThat(build.started()).isEqualTo(T0.plusSeconds(2));
    assertThat(build.elapsed(T0.plusSeconds(5))).hasValue(Duration.ofSeconds(3));

    assertThat(p.apply(at(3, new Event.NodeOutput("build", "stdout", "compiling\n\tmain\n\n"))))
        .as("output changes no status")
        .isFalse();
    assertThat(p.state().node("build").orElseThrow().lastLine()).isEqualTo("main");
    p.apply(at(4, new Event.NodeOutput("build", "stdout", "  \n")));
    assertThat(p.state().node("build").orElseThrow().lastLine())
        .as("a blank chunk keeps the last line")
        .isEqualTo("main");

    assertThat(p.apply(at(5, new Event.NodeChecking("build", 1)))).isTrue();
    assertThat(p.state().node("build").orElseThrow().status()).isEqualTo(NodeStatus.CHECKING);

    assertThat(p.apply(at(6, new Event.CheckFinished("build", "tests", false, "1 failed"))))
        .isFalse();
    assertThat(p.state().node("build").orElseThrow().lastLine()).isEqualTo("check 'tests' failed");

    assertThat(p.apply(at(7, new Event.NodeRetrying("build", 2, 5000, "check 'tests' failed"))))
        .isTrue();
    build = p.state().node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.RETRYING);
    assertThat(build.lastFailure()).isEqualTo("check 'tests' failed");
    assertThat(build.waitingUntil()).isEqualTo(T0.plusSeconds(7).plusMillis(5000));
    assertThat(build.reason()).as("it has not ended").isNull();

    p.apply(at(8, new Event.NodeStarted("build", 2)));
    build = p.state().node("build").orElseThrow();
    assertThat(build.attempt()).isEqualTo(2);
    assertThat(build.started()).as("still the first attempt's start").isEqualTo(T0.plusSeconds(2));
    assertThat(build.waitingUntil()).isNull();
    assertThat(build.lastFailure()).as("kept while the next attempt runs").isNotNull();

    assertThat(p.apply(at(9, new Event.NodeRateLimited("build", 2, 60_000, "HTTP 429\nslow down"))))
        .isTrue();
    build = p.state().node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.RATE_LIMITED);
    assertThat(build.lastLine()).isEqualTo("rate limited: slow down");
    assertThat(build.waitingUntil()).isEqualTo(T0.plusSeconds(9).plusSeconds(60));
    assertThat(build.lastFailure())
        .as("a rate limit is no failure")
        .isEqualTo("check 'tests' failed");

    p.apply(at(10, new Event.NodeStarted("build", 2)));
    assertThat(
            p.apply(
                at(
                    11,
                    new Event.NodeFinished(
                        "build",
                        NodeStatus.SUCCEEDED,
                        2,
                        9000,
                        null,
                        usage(100, 20, "0.01"),
                        "built"))))
        .isTrue();
    build = p.state().node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(build.finished()).isEqualTo(T0.plusSeconds(11));
    assertThat(build.duration()).isEqualTo(Duration.ofSeconds(9));
    assertThat(build.elapsed(T0.plusSeconds(999))).hasValue(Duration.ofSeconds(9));
    assertThat(build.usage()).isEqualTo(usage(100, 20, "0.01"));
    assertThat(build.reason()).isNull();
    assertThat(p.state().usage()).as("the running total").isEqualTo(usage(100, 20, "0.01"));

    assertThat(
            p.apply(
                at(
                    12,
                    new Event.NodeWaitingApproval("deploy", "Deploy\n  1.2?", List.of("alice")))))
        .isTrue();
    NodeState deploy = p.state().node("deploy").orElseThrow();
    assertThat(deploy.status()).isEqualTo(NodeStatus.WAITING_APPROVAL);
    assertThat(deploy.approval()).isEqualTo(new Approval("Deploy\n  1.2?", List.of("alice"), null));
    assertThat(deploy.lastLine()).isEqualTo("waiting for approval: Deploy 1.2?");
    assertThat(p.state().waitingForApproval()).containsExactly(deploy);

    Instant decided = T0.plusSeconds(11).plusMillis(500);
    assertThat(p.apply(at(13, new Event.NodeApproved("deploy", "alice", "ship it", decided))))
        .isTrue();
    deploy = p.state().node("deploy").orElseThrow();
    assertThat(deploy.status()).as("it queues for a slot").isEqualTo(NodeStatus.PENDING);
    assertThat(deploy.approval().message()).as("the question is kept").isEqualTo("Deploy\n  1.2?");
    assertThat(deploy.approval().decision())
        .isEqualTo(new Approval.Decision(true, "alice", "ship it", decided));
    assertThat(deploy.lastLine()).isEqualTo("approved by alice");

    p.apply(at(14, new Event.NodeStarted("deploy", 1)));
    p.apply(
        at(
            15,
            new Event.NodeFinished(
                "deploy",
                NodeStatus.FAILED,
                1,
                2000,
                "agent exited 1\nrefused",
                usage(50, 5, "0.002"),
                null)));
    deploy = p.state().node("deploy").orElseThrow();
    assertThat(deploy.status()).isEqualTo(NodeStatus.FAILED);
    assertThat(deploy.reason()).isEqualTo("agent exited 1\nrefused");
    assertThat(deploy.lastFailure()).isEqualTo("agent exited 1\nrefused");
    assertThat(deploy.lastLine()).isEqualTo("refused");
    assertThat(p.state().usage()).isEqualTo(usage(150, 25, "0.012"));

    // A node the plan does not list, rejected at its gate.
    p.apply(at(16, new Event.NodeWaitingApproval("notify", "Tell them?", List.of())));
    assertThat(p.apply(at(17, new Event.NodeRejected("notify", "bob", "no", decided))))
        .as("the node_finished that follows changes the status")
        .isFalse();
    NodeState notify = p.state().node("notify").orElseThrow();
    assertThat(notify.status()).isEqualTo(NodeStatus.WAITING_APPROVAL);
    assertThat(notify.approval().decision().verdict()).isEqualTo("rejected");
    assertThat(notify.lastLine()).isEqualTo("rejected by bob");
    p.apply(
        at(
            18,
            new Event.NodeFinished(
                "notify", NodeStatus.FAILED, 0, 0, "rejected by bob: no", Usage.ZERO, null)));
    assertThat(p.state().waitingForApproval()).isEmpty();

    Usage total = usage(150, 25, "0.0120");
    assertThat(
            p.apply(
                at(19, new Event.RunFinished(RunStatus.FAILED, total, "nodes did not succeed"))))
        .isTrue();
    s = p.state();
    assertThat(s.status()).isEqualTo(RunStatus.FAILED);
    assertThat(s.finished()).isEqualTo(T0.plusSeconds(19));
    assertThat(s.reason()).isEqualTo("nodes did not succeed");
    assertThat(s.usage()).as("the run's own total once it finished").isSameAs(total);
    assertThat(s.elapsed(T0.plusSeconds(999))).hasValue(Duration.ofSeconds(18));
    assertThat(s.lastSeq()).isEqualTo(19);
    assertThat(s.nodes()).extracting(NodeState::id).containsExactly("build", "deploy", "notify");
    assertThat(s.counts()).isEqualTo(Map.of(NodeStatus.SUCCEEDED, 1, NodeStatus.FAILED, 2));
    assertThat(s.done()).isEqualTo(3);

    // This test must fold every type there is: a new event type fails here until it is.
    Set<Class<?>> folded = sent.stream().map(r -> r.event().getClass()).collect(Collectors.toSet());
    assertThat(folded)
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(Event.class.getPermittedSubclasses()));
  }

  @Test
  void ignoresAnEventAtOrBelowTheLastSequenceNumber() {
    RunProjector p = RunProjector.of(RUN, PLAN);
    p.apply(at(1, new Event.NodeStarted("build", 1)));
    p.apply(at(2, new Event.NodeChecking("build", 1)));
    RunState before = p.state();

    assertThat(p.apply(at(2, new Event.NodeChecking("build", 1)))).isFalse();
    assertThat(p.apply(at(1, new Event.NodeStarted("build", 1)))).isFalse();

    assertThat(p.state()).isSameAs(before);
    assertThat(p.state().node("build").orElseThrow().status()).isEqualTo(NodeStatus.CHECKING);
  }

  @Test
  void foldsAnEventAfterAGapAndAnEventOutOfItsNodesOrderAsTheyCome() {
    RunProjector p = RunProjector.of(RUN, PLAN);

    assertThat(p.apply(at(5, new Event.NodeChecking("build", 2)))).isTrue();

    RunState s = p.state();
    assertThat(s.lastSeq()).isEqualTo(5);
    NodeState build = s.node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.CHECKING);
    assertThat(build.attempt()).isEqualTo(2);
    assertThat(build.started()).as("no node_started came").isNull();
  }

  @Test
  void refusesAnEventOfAnotherRun() {
    RunProjector p = RunProjector.of(RUN, PLAN);

    assertThatThrownBy(
            () ->
                p.apply(
                    new RecordedEvent(
                        1, T0, "20261201-100000-ffff", new Event.NodeStarted("b", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event 1 of run 20261201-100000-ffff is not of run " + RUN);
  }

  @Test
  void aResumedRunRunsAgainAndItsRerunNodesStartAnew() {
    RunProjector p = RunProjector.of(RUN, PLAN);
    p.apply(at(1, new Event.RunStarted("ship", Map.of(), false)));
    p.apply(at(2, new Event.NodeStarted("build", 1)));
    p.apply(
        at(
            3,
            new Event.NodeFinished(
                "build", NodeStatus.CANCELLED, 1, 1000, "interrupted", Usage.ZERO, null)));
    p.apply(at(4, new Event.RunFinished(RunStatus.CANCELLED, Usage.ZERO, "interrupted")));

    p.apply(at(5, new Event.RunStarted("ship", Map.of(), true)));
    p.apply(at(6, new Event.NodeStarted("build", 2)));

    RunState s = p.state();
    assertThat(s.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(s.started()).as("the run's first start").isEqualTo(T0.plusSeconds(1));
    assertThat(s.finished()).isNull();
    assertThat(s.reason()).isNull();
    NodeState build = s.node("build").orElseThrow();
    assertThat(build.status()).isEqualTo(NodeStatus.RUNNING);
    assertThat(build.started()).isEqualTo(T0.plusSeconds(6));
    assertThat(build.finished()).isNull();
    assertThat(build.duration()).isNull();
    assertThat(build.reason()).isNull();
    assertThat(build.lastFailure()).isEqualTo("interrupted");
  }

  @Test
  void aSkippedNodeSaysWhichNodeItWaitedFor() {
    RunProjector p = RunProjector.of(RUN, PLAN);
    p.apply(
        at(
            1,
            new Event.NodeFinished(
                "deploy",
                NodeStatus.SKIPPED,
                0,
                0,
                "needs 'build', which failed",
                Usage.ZERO,
                null)));

    NodeState deploy = p.state().node("deploy").orElseThrow();
    assertThat(deploy.status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(deploy.reason()).isEqualTo("needs 'build', which failed");
    assertThat(deploy.attempt()).isZero();
  }

  @Test
  void aNodeDecidedBeforeItWaitedHasTheDecisionWithoutAQuestion() {
    RunProjector p = RunProjector.of(RUN, PLAN);
    p.apply(at(1, new Event.NodeApproved("deploy", "alice", null, T0)));

    Approval a = p.state().node("deploy").orElseThrow().approval();
    assertThat(a.message()).isNull();
    assertThat(a.approvers()).isEmpty();
    assertThat(a.decided()).isTrue();
  }

  @Test
  void theRunningTotalCountsAComposedNodeThroughItsInnerNodesOnly() {
    List<PlannedNode> plan =
        List.of(
            new PlannedNode("review", List.of(), PlannedNode.COMPOSED, 1),
            new PlannedNode("lint", List.of(), "command", 1));
    RunProjector p = RunProjector.of(RUN, plan);
    p.apply(at(1, finished("review/read", usage(10, 1, "0.1"))));
    p.apply(at(2, finished("review/judge/ask", usage(20, 2, "0.2"))));
    p.apply(at(3, finished("review/judge", usage(20, 2, "0.2"))));
    p.apply(at(4, finished("review", usage(30, 3, "0.3"))));
    p.apply(at(5, finished("lint", usage(1, 1, "0.01"))));

    RunState s = p.state();
    assertThat(s.nodes())
        .extracting(NodeState::id)
        .containsExactly("review", "lint", "review/read", "review/judge/ask", "review/judge");
    assertThat(s.usage()).isEqualTo(usage(31, 4, "0.31"));
  }

  private static Event.NodeFinished finished(String node, Usage u) {
    return new Event.NodeFinished(node, NodeStatus.SUCCEEDED, 1, 10, null, u, "ok");
  }

  @Test
  void aStateIsMadeAgainOnlyAfterAnEventAndKeepsTheNodesNoEventChanged() {
    RunProjector p = RunProjector.of(RUN, PLAN);
    p.apply(at(1, new Event.NodeStarted("build", 1)));
    RunState first = p.state();
    assertThat(p.state()).isSameAs(first);

    p.apply(at(2, new Event.NodeOutput("build", "stdout", "x")));
    RunState second = p.state();

    assertThat(second).isNotSameAs(first);
    assertThat(second.node("deploy").orElseThrow()).isSameAs(first.node("deploy").orElseThrow());
    assertThat(first.node("build").orElseThrow().lastLine()).as("immutable").isEmpty();
  }

  @Test
  void theLastLineOfAnOutputIsItsLastNonBlankLine() {
    assertThat(RunProjector.lastLineOf("a\nb\tc  \n \n")).isEqualTo("b c");
    assertThat(RunProjector.lastLineOf("only")).isEqualTo("only");
    assertThat(RunProjector.lastLineOf(" \n\t")).isEmpty();
    assertThat(RunProjector.lastLineOf("")).isEmpty();
  }
}
