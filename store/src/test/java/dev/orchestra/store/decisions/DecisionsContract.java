package dev.orchestra.store.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RunStore} promises about decisions on approval gates ({@link RunStore#decide},
 * {@link RunStore#decisions}, {@link RunStore#watchDecisions}); a subclass per store runs it.
 */
abstract class DecisionsContract {
  static final Instant T0 = Instant.parse("2026-12-01T10:15:00Z");
  static final String RUN = "20261201-101500-3fa2";

  @TempDir Path dir;
  RunStore store;
  RunRecorder recorder;

  /** A store over {@code dir}, empty. */
  abstract RunStore store(Path dir);

  /**
   * Another handle on the same records, as another process has it; the same object where there is
   * no other process (the memory store).
   */
  abstract RunStore sameRecords(Path dir, RunStore store);

  @BeforeEach
  void createRun() {
    store = store(dir);
    recorder = store.create(new RunInfo(RUN, "demo", "flow.yaml", "version: 1\n", Map.of(), T0));
  }

  @Test
  void recordsTheFirstDecisionOfANodeAndKeepsItAgainstLaterOnes() {
    Decision approve = Decision.approve("alice", "ship it", T0);

    assertThat(store.decide(RUN, "deploy", approve)).isEqualTo(approve);
    assertThat(store.decide(RUN, "deploy", Decision.reject("bob", "no", T0.plusSeconds(1))))
        .isEqualTo(approve);
    assertThat(store.decisions(RUN)).containsExactly(Map.entry("deploy", approve));
  }

  @Test
  void keepsDecisionsOfNodesInComposedWorkflowsApart() {
    Decision inner = Decision.reject("bob", null, T0);
    Decision outer = Decision.approve("alice", null, T0);
    store.decide(RUN, "review/gate", inner);
    store.decide(RUN, "review", outer);

    assertThat(sameRecords(dir, store).decisions(RUN))
        .containsOnly(Map.entry("review/gate", inner), Map.entry("review", outer));
  }

  @Test
  void recordsADecisionWhileAnotherHandleHoldsTheRunsLockAndAfterItsEnd() {
    Decision d = Decision.approve("alice", null, T0);
    assertThat(sameRecords(dir, store).decide(RUN, "deploy", d)).isEqualTo(d);
    recorder.close();
    Decision later = Decision.approve("carol", null, T0);
    assertThat(sameRecords(dir, store).decide(RUN, "other", later)).isEqualTo(later);

    assertThat(store.decisions(RUN))
        .containsOnly(Map.entry("deploy", d), Map.entry("other", later));
  }

  @Test
  void ofManyDecidingAtOnceExactlyOneWinsAndAllSeeIt() throws Exception {
    int deciders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(deciders);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Decision>> answers = new ArrayList<>();
      for (int i = 0; i < deciders; i++) {
        RunStore handle = sameRecords(dir, store);
        Decision mine =
            i % 2 == 0 ? Decision.approve("u" + i, null, T0) : Decision.reject("u" + i, null, T0);
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return handle.decide(RUN, "deploy", mine);
                }));
      }
      go.countDown();
      Decision winner = answers.get(0).get(30, TimeUnit.SECONDS);
      for (Future<Decision> a : answers) {
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(winner);
      }
      assertThat(store.decisions(RUN)).containsExactly(Map.entry("deploy", winner));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWatchHearsOfDecisionsOnItsNodesOnly() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    try (DecisionWatch w =
        store.watchDecisions(RUN, List.of("deploy", "review/gate"), heard::add)) {
      RunStore other = sameRecords(dir, store);
      other.decide(RUN, "unwatched", Decision.approve("alice", null, T0));
      other.decide(RUN, "review/gate", Decision.approve("alice", null, T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("review/gate");
      other.decide(RUN, "deploy", Decision.reject("bob", "later", T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("deploy");
    }
    assertThat(heard).isEmpty();
  }

  @Test
  void aWatchHearsOfNothingOnceClosed() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    DecisionWatch w = store.watchDecisions(RUN, List.of("a", "b"), heard::add);
    w.close();
    w.close();
    store.decide(RUN, "a", Decision.approve("alice", null, T0));
    // A decision on a node of a watch still open proves the deliveries of the closed one are over.
    try (DecisionWatch open = store.watchDecisions(RUN, List.of("b"), heard::add)) {
      store.decide(RUN, "b", Decision.approve("alice", null, T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("b");
    }
    assertThat(heard).isEmpty();
  }

  @Test
  void refusesAnUnknownRun() {
    Decision d = Decision.approve("alice", null, T0);
    assertThatThrownBy(() -> store.decide("20261201-101500-ffff", "deploy", d))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("20261201-101500-ffff");
    assertThatThrownBy(() -> store.decisions("20261201-101500-ffff"))
        .isInstanceOf(OrchestraException.class);
    assertThatThrownBy(() -> store.watchDecisions("20261201-101500-ffff", List.of("a"), n -> {}))
        .isInstanceOf(OrchestraException.class);
  }
}
