package dev.orchestra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.Branch;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.PlannedRunStore;
import dev.orchestra.store.RunCursor;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.workflow.DockerOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RunStore} promises, whatever keeps the records: creating and locking runs,
 * events in order and after a sequence number, listings with filters and pages, attempts' records
 * and working directories, results, and decisions on approval gates (first one wins, watches hear
 * of them). A store's test extends it and says how to make the store; the file store, the memory
 * store, SQLite and PostgreSQL each run it.
 *
 * <p>Waits are bounded and generous (60 s) and never assert on timing, so that a loaded machine
 * passes.
 */
public abstract class RunStoreContract {
  protected static final Instant T0 = Instant.parse("2026-12-01T10:15:00Z");
  protected static final String RUN = "20261201-101500-3fa2";

  /** A directory of the test's own, for stores that keep files. */
  @TempDir protected Path dir;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private RunStore store;

  /** A new, empty store keeping its files (if any) under {@code dir}. */
  protected abstract RunStore newStore(Path dir);

  /**
   * Another handle on the same records, as another process has it (the same directory, the same
   * database); the same object where there is no other process (the memory store).
   */
  protected abstract RunStore sameRecords(Path dir, RunStore store);

  /** The store under test, made on first use. */
  protected final RunStore store() {
    if (store == null) {
      store = newStore(dir);
    }
    return store;
  }

  /** Another handle, closed after the test when it is {@link AutoCloseable}. */
  protected final RunStore other() {
    RunStore other = sameRecords(dir, store());
    if (other != store && other instanceof AutoCloseable c) {
      opened.add(c);
    }
    return other;
  }

  @AfterEach
  void closeStores() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  protected static RunInfo info(String id, Instant started) {
    return info(id, "demo", started);
  }

  protected static RunInfo info(String id, String workflow, Instant started) {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("task", "add a feature");
    inputs.put("base", "main");
    return new RunInfo(
        id,
        workflow,
        "flows/" + workflow + ".yaml",
        "version: 1\nname: " + workflow + "\n",
        inputs,
        started);
  }

  protected static RecordedEvent event(String run, long seq, Event e) {
    return new RecordedEvent(seq, T0.plusMillis(seq), run, e);
  }

  private static List<RecordedEvent> sampleEvents(String run) {
    Usage usage = new Usage(120, 30, new BigDecimal("0.0125"), true);
    return List.of(
        event(run, 1, new Event.RunStarted("demo", Map.of("task", "x"), false)),
        event(run, 2, new Event.NodeStarted("plan", 1)),
        event(run, 3, new Event.NodeOutput("plan", "stdout", "thinking…")),
        event(run, 4, new Event.CheckFinished("plan", "exists: PLAN.md", true, "")),
        event(run, 5, new Event.NodeWaitingApproval("deploy", "Ship?", List.of("alice"))),
        event(run, 6, new Event.NodeApproved("deploy", "alice", "ok", T0)),
        event(
            run,
            7,
            new Event.NodeFinished("plan", NodeStatus.SUCCEEDED, 1, 1500, null, usage, "done")),
        event(run, 8, new Event.RunFinished(RunStatus.SUCCEEDED, usage, null)));
  }

  // --- runs ---------------------------------------------------------------------------------

  @Test
  void createsARunAndFindsWhatItWasStartedWith() {
    store().create(info(RUN, T0)).close();

    assertThat(store().find(RUN)).contains(info(RUN, T0));
    assertThat(other().find(RUN)).contains(info(RUN, T0));
    assertThat(store().find("20261201-101500-ffff")).isEmpty();
    assertThat(store().result(RUN)).isEmpty();
    assertThat(store().events(RUN)).isEmpty();
  }

  private static RunPlan samplePlan() {
    return new RunPlan(
        List.of(
            new PlannedNode("build", List.of(), "command", 2),
            new PlannedNode("test", List.of("build"), PlannedNode.COMPOSED, 1)),
        List.of(
            new RunPlan.Container(
                "build",
                "box:1",
                new DockerOptions(0.5, "256m", "none", List.of("data:/data:ro")))));
  }

  @Test
  void keepsThePlanARunWasStartedWithAndNoneForARunWithout() {
    RunPlan plan = samplePlan();
    String without = "20261201-101500-ffff";
    store().create(info(RUN, T0).withPlan(plan)).close();
    store().create(info(without, T0)).close();

    assertThat(store().find(RUN)).contains(info(RUN, T0).withPlan(plan));
    assertThat(other().find(RUN).map(RunInfo::plan)).contains(plan);
    assertThat(other().find(RUN).orElseThrow().storedPlan().get()).contains(plan);
    assertThat(other().find(without)).contains(info(without, T0));
    assertThat(other().find(without).orElseThrow().plan()).isNull();
    assertThat(other().find(without).orElseThrow().storedPlan().get()).isEmpty();
  }

  /**
   * Replaces the plan on record for {@code runId} behind the store's back (nothing in Orchestra
   * does), to show when a store reads it; stores without records outside the process skip the tests
   * that use it.
   */
  protected void replacePlanOnRecord(String runId, RunPlan plan) throws Exception {
    assumeTrue(false, "the store keeps its records in the process");
  }

  /** Makes the plan on record for {@code runId} unreadable, as {@link #replacePlanOnRecord}. */
  protected void spoilPlanOnRecord(String runId) throws Exception {
    assumeTrue(false, "the store keeps its records in the process");
  }

  @Test
  void readsAFoundRunsPlanWhenItIsFirstAskedForAndOnlyThen() throws Exception {
    RunPlan started = samplePlan();
    RunPlan replaced = new RunPlan(List.of(PlannedNode.unplanned("other")), List.of());
    store().create(info(RUN, T0).withPlan(started)).close();
    RunInfo found = other().find(RUN).orElseThrow();

    replacePlanOnRecord(RUN, replaced);
    assertThat(found.plan()).isEqualTo(replaced);
    replacePlanOnRecord(RUN, started);
    assertThat(found.plan()).isEqualTo(replaced);
    assertThat(other().find(RUN).orElseThrow().plan()).isEqualTo(started);
  }

  @Test
  void findsAndListsARunWhosePlanCannotBeReadAndSaysSoWhenThePlanIsAskedFor() throws Exception {
    store().create(info(RUN, T0).withPlan(samplePlan())).close();
    spoilPlanOnRecord(RUN);

    RunInfo found = other().find(RUN).orElseThrow();
    assertThat(found.workflowText()).isEqualTo(info(RUN, T0).workflowText());
    assertThat(other().list()).extracting(RunSummary::id).containsExactly(RUN);
    assertThatThrownBy(found::plan)
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("plan of run " + RUN);
    // A failed read is not remembered: the next use tries again, and fails the same way.
    assertThatThrownBy(found::plan).isInstanceOf(OrchestraException.class);
  }

  @Test
  void refusesADuplicateRunIdAndIdsThatAreNoRunIds() {
    store().create(info(RUN, T0)).close();

    assertThatThrownBy(() -> store().create(info(RUN, T0.plusSeconds(1))))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("run " + RUN + " already exists");
    assertThatThrownBy(() -> store().create(info("../escape", T0)))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("is not a run id");
    assertThat(store().find(RUN)).contains(info(RUN, T0));
  }

  @Test
  void deletesARunThatNoProcessRecordsWithAllItsRecordsAndFreesItsId() {
    RunRecorder recording = store().create(info(RUN, T0));
    sampleEvents(RUN).forEach(recording::append);
    assertThatThrownBy(() -> store().delete(RUN)).isInstanceOf(OrchestraException.class);
    assertThat(store().find(RUN)).isPresent();
    recording.close();

    assertThat(store().delete(RUN)).isTrue();
    assertThat(store().find(RUN)).isEmpty();
    assertThat(other().find(RUN)).isEmpty();
    assertThat(store().list()).extracting(RunSummary::id).doesNotContain(RUN);
    assertThat(store().delete(RUN)).isFalse();
    store().create(info(RUN, T0)).close();
    assertThat(store().events(RUN)).isEmpty();
  }

  @Test
  void locksARunForItsRecorderUntilItIsClosed() {
    RunRecorder first = store().create(info(RUN, T0));
    assertThatThrownBy(() -> store().reopen(RUN)).isInstanceOf(OrchestraException.class);
    assertThatThrownBy(() -> other().reopen(RUN)).isInstanceOf(OrchestraException.class);
    assertThat(store().list()).extracting(RunSummary::active).containsExactly(true);

    first.close();
    first.close();
    assertThatThrownBy(() -> first.append(event(RUN, 1, new Event.NodeStarted("a", 1))))
        .isInstanceOf(OrchestraException.class);
    assertThat(store().list()).extracting(RunSummary::interrupted).containsExactly(true);
    try (RunRecorder again = other().reopen(RUN)) {
      again.append(event(RUN, 1, new Event.NodeStarted("a", 1)));
    }
    assertThat(store().events(RUN)).extracting(RecordedEvent::seq).containsExactly(1L);
  }

  @Test
  void refusesToReopenARunThatIsNotThere() {
    assertThatThrownBy(() -> store().reopen("20261201-101500-ffff"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("20261201-101500-ffff");
    for (var read :
        List.<Runnable>of(
            () -> store().events("20261201-101500-ffff"),
            () -> store().events("20261201-101500-ffff", 3),
            () -> store().result("20261201-101500-ffff"),
            () -> store().decisions("20261201-101500-ffff"))) {
      assertThatThrownBy(read::run)
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("20261201-101500-ffff");
    }
  }

  // --- events -------------------------------------------------------------------------------

  @Test
  void readsBackEveryEventAsItWasAppended() {
    List<RecordedEvent> written = sampleEvents(RUN);
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      written.forEach(rec::append);
      assertThat(other().events(RUN)).as("seen while the run records").isEqualTo(written);
    }
    assertThat(store().events(RUN)).isEqualTo(written);
    assertThat(other().events(RUN, 0)).isEqualTo(written);
  }

  @Test
  void readsTheEventsAfterASequenceNumber() {
    List<RecordedEvent> written = sampleEvents(RUN);
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      written.forEach(rec::append);
    }

    assertThat(store().events(RUN, 5)).isEqualTo(written.subList(5, 8));
    assertThat(store().events(RUN, 7)).containsExactly(written.get(7));
    assertThat(store().events(RUN, 8)).isEmpty();
    assertThat(store().events(RUN, 1000)).isEmpty();
    assertThatThrownBy(() -> store().events(RUN, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void refusesAnEventThatIsNotTheNextAndRecordsNothingOfIt() {
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      assertThatThrownBy(() -> rec.append(event(RUN, 2, new Event.NodeStarted("a", 1))))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("event 2 cannot follow event 0");
      rec.append(event(RUN, 1, new Event.NodeStarted("a", 1)));
      rec.append(event(RUN, 2, new Event.NodeStarted("b", 1)));
      assertThatThrownBy(() -> rec.append(event(RUN, 2, new Event.NodeStarted("c", 1))))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("event 2 cannot follow event 2");
    }
    try (RunRecorder rec = other().reopen(RUN)) {
      assertThatThrownBy(() -> rec.append(event(RUN, 1, new Event.NodeStarted("c", 1))))
          .isInstanceOf(OrchestraException.class);
      rec.append(event(RUN, 3, new Event.NodeStarted("c", 1)));
    }
    assertThat(store().events(RUN))
        .extracting(e -> e.event().node())
        .containsExactly("a", "b", "c");
  }

  /**
   * Several runs at once, each with two threads emitting (numbered and appended under the run's
   * lock, as the engine does) and a reader following with {@code events(run, lastSeen)}: every
   * reader sees 1, 2, … in order, none twice, none missing.
   */
  @Test
  void keepsEventsInOrderWithoutGapsUnderConcurrentAppendsAndReads() throws Exception {
    int runs = 4;
    int perThread = 60;
    ExecutorService pool = Executors.newFixedThreadPool(runs * 3);
    try {
      List<Future<List<Long>>> readers = new ArrayList<>();
      List<Future<?>> writers = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<RunRecorder> recorders = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        String id = "20261201-101500-000" + r;
        RunRecorder rec = store().create(info(id, T0.plusSeconds(r)));
        recorders.add(rec);
        Object lock = new Object();
        AtomicLong seq = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(2);
        for (int t = 0; t < 2; t++) {
          String node = "n" + t;
          writers.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                      synchronized (lock) {
                        rec.append(
                            event(
                                id,
                                seq.incrementAndGet(),
                                new Event.NodeOutput(node, "stdout", "line " + i)));
                      }
                    }
                    writing.countDown();
                    if (writing.getCount() == 0) {
                      done.set(true);
                    }
                    return null;
                  }));
        }
        RunStore reader = other();
        readers.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Long> seen = new ArrayList<>();
                  long last = 0;
                  while (true) {
                    boolean finished = done.get();
                    for (RecordedEvent e : reader.events(id, last)) {
                      seen.add(e.seq());
                      last = e.seq();
                    }
                    if (finished) {
                      return seen;
                    }
                    // The reader polls as a reconnecting SSE client would; it waits for nothing.
                    Thread.sleep(1);
                  }
                }));
      }
      go.countDown();
      for (Future<?> w : writers) {
        w.get(120, TimeUnit.SECONDS);
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= 2L * perThread; s++) {
        expected.add(s);
      }
      for (int r = 0; r < runs; r++) {
        assertThat(readers.get(r).get(120, TimeUnit.SECONDS)).isEqualTo(expected);
        recorders.get(r).close();
        assertThat(store().events("20261201-101500-000" + r))
            .extracting(RecordedEvent::seq)
            .isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // --- planned runs (PlannedRunStore) -------------------------------------------------------

  /**
   * A planned run's nodes record their events apart (provisional numbers, each node from the same
   * last number it read): readers see them merged with the run's own, numbered 1, 2, … in time
   * order, and the events after a number are the tail of that; the run's lock taken again (runs
   * finish) keeps those numbers and goes on after the last. For stores that plan runs only.
   */
  @Test
  void readsAPlannedRunsNodeEventsMergedAndAfterASequenceNumber() {
    assumeTrue(store() instanceof PlannedRunStore, "the store does not plan runs");
    PlannedRunStore planned = (PlannedRunStore) store();
    try (RunRecorder rec = planned.create(info(RUN, T0))) {
      rec.append(event(RUN, 1, new Event.RunStarted("demo", Map.of(), false)));
      planned.planFiles(RUN, Map.of("prompts/a.md", "Write {{ inputs.task }}"));
    }
    assertThat(planned.planned(RUN)).isTrue();
    assertThat(planned.planFiles(RUN)).containsEntry("prompts/a.md", "Write {{ inputs.task }}");
    try (RunRecorder a = planned.recordNode(RUN, "a");
        RunRecorder b = planned.recordNode(RUN, "b")) {
      assertThatThrownBy(() -> planned.reopen(RUN)).isInstanceOf(OrchestraException.class);
      assertThatThrownBy(() -> planned.recordNode(RUN, "a"))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("'a'");
      a.append(event(RUN, 2, new Event.NodeStarted("a", 1)));
      b.append(event(RUN, 2, new Event.NodeStarted("b", 1)));
      assertThatThrownBy(() -> a.append(event(RUN, 4, new Event.NodeOutput("a", "stdout", "x"))))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("event 4 cannot follow event 2");
      a.append(event(RUN, 3, new Event.NodeOutput("a", "stdout", "x")));
      b.append(event(RUN, 3, new Event.NodeOutput("b", "stdout", "y")));
      assertThatThrownBy(
              () ->
                  a.finish(
                      new RunResult(
                          RUN, "demo", RunStatus.SUCCEEDED, null, T0, T0, null, Map.of())))
          .isInstanceOf(IllegalStateException.class);
    }

    List<RecordedEvent> all = store().events(RUN);
    assertThat(all).extracting(RecordedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(all).extracting(e -> e.event().node()).containsExactly(null, "a", "b", "a", "b");
    for (int after = 0; after <= 6; after++) {
      assertThat(store().events(RUN, after))
          .as("after %d", after)
          .isEqualTo(all.subList(Math.min(after, all.size()), all.size()));
      assertThat(other().events(RUN, after)).isEqualTo(store().events(RUN, after));
    }

    try (RunRecorder rec = planned.reopen(RUN)) {
      assertThatThrownBy(() -> planned.recordNode(RUN, "c")).isInstanceOf(OrchestraException.class);
      assertThat(store().events(RUN)).as("kept through the fold").isEqualTo(all);
      assertThatThrownBy(
              () ->
                  rec.append(event(RUN, 5, new Event.RunFinished(RunStatus.SUCCEEDED, null, null))))
          .isInstanceOf(OrchestraException.class);
      rec.append(event(RUN, 6, new Event.RunFinished(RunStatus.SUCCEEDED, null, null)));
    }
    assertThat(store().events(RUN, 4)).extracting(RecordedEvent::seq).containsExactly(5L, 6L);
    assertThat(other().events(RUN)).extracting(RecordedEvent::seq).hasSize(6);
  }

  // --- listings -----------------------------------------------------------------------------

  @Test
  void listsRunsNewestFirstWithTheirStatus() {
    store().create(info("20261201-101500-aaaa", T0)).close();
    try (RunRecorder rec = store().create(info("20261201-101501-0000", T0.plusSeconds(1)))) {
      rec.finish(result(rec.runId(), RunStatus.SUCCEEDED, T0.plusSeconds(1)));
    }
    try (RunRecorder running = store().create(info("20261201-101502-0000", T0.plusSeconds(2)))) {
      assertThat(other().list())
          .extracting(RunSummary::id, RunSummary::status, RunSummary::active)
          .containsExactly(
              tuple("20261201-101502-0000", null, true),
              tuple("20261201-101501-0000", RunStatus.SUCCEEDED, false),
              tuple("20261201-101500-aaaa", null, false));
      assertThat(store().list(RunQuery.first(10)).runs()).isEqualTo(store().list());
    }
  }

  /**
   * Whether the store lists a run with the status of its {@code run_finished} event from the moment
   * that event is recorded, and with none while a resumed session runs (the SQL store), rather than
   * with its result's status.
   */
  protected boolean listsTheStatusOfTheEvents() {
    return false;
  }

  @Test
  void listsARunAsEndedWithItsRunFinishedEventAndAsRunningWhileItIsResumed() {
    assumeTrue(listsTheStatusOfTheEvents(), "the store lists the statuses of results");
    RunQuery failed = RunQuery.first(5).withStatuses(RunQuery.Status.FAILED);
    RunQuery running = RunQuery.first(5).withStatuses(RunQuery.Status.RUNNING);
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      rec.append(event(RUN, 1, new Event.RunStarted("demo", Map.of(), false)));
      rec.append(event(RUN, 2, new Event.RunFinished(RunStatus.FAILED, null, "plan failed")));
      assertThat(other().list()).extracting(RunSummary::status).containsExactly(RunStatus.FAILED);
      assertThat(ids(other().list(failed))).as("before its result is written").containsExactly(RUN);
      rec.finish(result(RUN, RunStatus.FAILED, T0));
    }
    try (RunRecorder rec = store().reopen(RUN)) {
      rec.append(event(RUN, 3, new Event.RunStarted("demo", Map.of(), true)));
      assertThat(ids(other().list(running))).as("resumed").containsExactly(RUN);
      assertThat(other().list(failed).runs()).isEmpty();
      assertThat(other().result(RUN))
          .as("the last result, until the next one")
          .map(RunResult::status)
          .contains(RunStatus.FAILED);
      rec.append(event(RUN, 4, new Event.RunFinished(RunStatus.SUCCEEDED, null, null)));
      assertThat(other().list())
          .extracting(RunSummary::status)
          .containsExactly(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void filtersListingsByStatusWorkflowAndStartTime() {
    try (RunRecorder rec = store().create(info("20261201-101500-0001", "build", T0))) {
      rec.finish(result(rec.runId(), RunStatus.FAILED, T0));
    }
    try (RunRecorder rec =
        store().create(info("20261201-101510-0002", "deploy", T0.plusSeconds(10)))) {
      rec.finish(result(rec.runId(), RunStatus.SUCCEEDED, T0.plusSeconds(10)));
    }
    store().create(info("20261201-101520-0003", "build", T0.plusSeconds(20))).close();
    RunRecorder running = store().create(info("20261201-101530-0004", "build", T0.plusSeconds(30)));
    try (running) {
      RunQuery all = RunQuery.first(50);
      assertThat(ids(store().list(all.withStatuses(RunQuery.Status.FAILED))))
          .containsExactly("20261201-101500-0001");
      assertThat(
              ids(
                  store()
                      .list(
                          all.withStatuses(
                              RunQuery.Status.INTERRUPTED, RunQuery.Status.SUCCEEDED))))
          .containsExactly("20261201-101520-0003", "20261201-101510-0002");
      assertThat(ids(store().list(all.withStatuses(RunQuery.Status.RUNNING))))
          .containsExactly("20261201-101530-0004");
      assertThat(ids(store().list(all.withWorkflow("build"))))
          .containsExactly("20261201-101530-0004", "20261201-101520-0003", "20261201-101500-0001");
      assertThat(ids(store().list(all.startedBetween(T0.plusSeconds(10), T0.plusSeconds(30)))))
          .as("from inclusive, before exclusive")
          .containsExactly("20261201-101520-0003", "20261201-101510-0002");
      assertThat(ids(store().list(all.startedBetween(T0.plusSeconds(11), null))))
          .containsExactly("20261201-101530-0004", "20261201-101520-0003");
      assertThat(
              ids(
                  store()
                      .list(
                          all.withWorkflow("build")
                              .withStatuses(RunQuery.Status.FAILED, RunQuery.Status.RUNNING)
                              .startedBetween(null, T0.plusSeconds(30)))))
          .containsExactly("20261201-101500-0001");
      assertThat(store().list(all.withWorkflow("nothing")).runs()).isEmpty();
    }
  }

  @Test
  void pagesThroughRunsWithoutRepeatsOrGapsWhileRunsAreAdded() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Pairs share a start time: the id breaks the tie.
      String id = String.format("20261201-1015%02d-%04x", i / 2, i);
      store().create(info(id, T0.plusSeconds(i / 2))).close();
      created.add(id);
    }
    List<String> paged = new ArrayList<>();
    RunQuery query = RunQuery.first(10);
    RunPage page = store().list(query);
    assertThat(page.runs()).hasSize(10);
    paged.addAll(ids(page));
    // A newer run between two pages is not on the later pages and shifts nothing.
    store().create(info("20261201-110000-ffff", T0.plusSeconds(3600))).close();
    page = other().list(query.after(page.next().orElseThrow().token()));
    assertThat(page.runs()).hasSize(10);
    paged.addAll(ids(page));
    page = store().list(query.after(page.next().orElseThrow()));
    paged.addAll(ids(page));
    assertThat(page.next()).as("the last page").isEmpty();

    List<String> newestFirst = new ArrayList<>(created);
    newestFirst.sort(java.util.Comparator.reverseOrder());
    assertThat(paged).isEqualTo(newestFirst);
    assertThat(ids(store().list(RunQuery.first(1)))).containsExactly("20261201-110000-ffff");
    RunCursor exact = RunCursor.after(store().list(RunQuery.first(23)).runs().get(22));
    assertThat(store().list(RunQuery.first(5).after(exact)).runs())
        .as("after the last run")
        .hasSize(1);
  }

  private static List<String> ids(RunPage page) {
    return page.runs().stream().map(RunSummary::id).toList();
  }

  // --- attempts -----------------------------------------------------------------------------

  @Test
  void keepsEachAttemptsRecordsApart() {
    Usage usage = new Usage(10, 5, new BigDecimal("0.003"));
    ProcessGroup agent =
        new ProcessGroup(
            4242,
            T0.plusMillis(10),
            "ORCHESTRA_TAG_00FF00FF00FF00FF",
            List.of("pipe:[2834411]", "pipe:[2834412]"));
    ProcessGroup check = new ProcessGroup(4250, T0.plusMillis(1500));
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      try (AttemptRecorder a = rec.attempt("review/lint", 2)) {
        a.prompt("fix it\n\n## Feedback\nexit 1");
        a.line(OutputStream.STDOUT, "out 1");
        a.line(OutputStream.STDERR, "err 1");
        a.line(OutputStream.STDOUT, "out 2 — ünïcode");
        a.process(agent);
        a.process(check);
        a.check(2, new CheckResult("run: make test", false, "1 failed"));
        a.check(1, new CheckResult("exists: A", true, ""));
        a.output("final answer");
        a.usage(usage);
        a.outputs(Map.of("plan", "PLAN.md text"));
      }
      try (AttemptRecorder a = rec.attempt("review/lint", 1)) {
        a.prompt("do it");
        a.output("");
      }
      try (AttemptRecorder a = rec.attempt("review", 1)) {
        a.line(OutputStream.STDOUT, "outer");
      }
    }

    List<AttemptRecord> records = other().attempts(RUN, "review/lint");
    assertThat(records).extracting(AttemptRecord::attempt).containsExactly(1, 2);
    AttemptRecord first = records.get(0);
    assertThat(first.prompt()).isEqualTo("do it");
    assertThat(first.stdout()).isNull();
    assertThat(first.stderr()).isNull();
    assertThat(first.output()).as("an empty output is no output").isNull();
    assertThat(first.checks()).isEmpty();
    assertThat(first.processes()).isEmpty();
    AttemptRecord second = records.get(1);
    assertThat(second)
        .isEqualTo(
            new AttemptRecord(
                "review/lint",
                2,
                "fix it\n\n## Feedback\nexit 1",
                "out 1\nout 2 — ünïcode\n",
                "err 1\n",
                List.of(
                    new CheckResult("exists: A", true, ""),
                    new CheckResult("run: make test", false, "1 failed")),
                "final answer",
                Map.of("plan", "PLAN.md text"),
                List.of(agent, check),
                usage));
    assertThat(store().attempts(RUN, "review"))
        .singleElement()
        .extracting(AttemptRecord::stdout)
        .isEqualTo("outer\n");
    assertThat(store().attempts(RUN, "never-started")).isEmpty();
  }

  @Test
  void givesEachAttemptAPrivateWorkingDirectoryThatOutlivesItsRecorder() throws IOException {
    Set<Path> dirs = new HashSet<>();
    Path kept;
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      try (AttemptRecorder a = rec.attempt("build", 1)) {
        kept = a.directory();
        Files.writeString(kept.resolve("ORCHESTRA_OUTPUT"), "from the agent");
        dirs.add(kept);
      }
      for (String node : List.of("build", "test", "outer/inner", "..")) {
        try (AttemptRecorder a = rec.attempt(node, 2)) {
          assertThat(Files.isDirectory(a.directory())).isTrue();
          dirs.add(a.directory());
        }
      }
    }
    assertThat(dirs).as("one directory per attempt").hasSize(5);
    try (RunRecorder rec = store().reopen(RUN);
        AttemptRecorder again = rec.attempt("build", 1)) {
      assertThat(again.directory()).isEqualTo(kept);
      assertThat(again.directory().resolve("ORCHESTRA_OUTPUT")).hasContent("from the agent");
    }
  }

  // --- results ------------------------------------------------------------------------------

  @Test
  void keepsTheResultOfARun() {
    Usage usage = new Usage(1200, 340, new BigDecimal("0.1234"), true);
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    nodes.put(
        "plan",
        new NodeResult(
            "plan",
            NodeStatus.SUCCEEDED,
            1,
            1500,
            usage,
            "the plan",
            null,
            Map.of("plan", "PLAN"),
            new Branch("orchestra/" + RUN + "/plan", "0123456789abcdef0123456789abcdef01234567")));
    nodes.put(
        "build",
        new NodeResult(
            "build", NodeStatus.FAILED, 3, 90_000, Usage.ZERO, null, "checks failed", Map.of()));
    nodes.put(
        "review/gate",
        new NodeResult(
            "review/gate", NodeStatus.SKIPPED, 0, 0, Usage.ZERO, null, "build failed", Map.of()));
    RunResult result =
        new RunResult(
            RUN,
            "demo",
            RunStatus.FAILED,
            "node build failed",
            T0,
            T0.plusSeconds(95),
            usage,
            nodes,
            new Branch("orchestra/" + RUN, "89abcdef0123456789abcdef0123456789abcdef"),
            "git fetch . orchestra/" + RUN);
    try (RunRecorder rec = store().create(info(RUN, T0))) {
      assertThat(store().result(RUN)).isEmpty();
      rec.finish(result);
    }

    assertThat(other().result(RUN)).contains(result);
    assertThat(other().result(RUN).orElseThrow().nodes().keySet())
        .as("in workflow order")
        .containsExactly("plan", "build", "review/gate");
  }

  protected static RunResult result(String runId, RunStatus status, Instant started) {
    return new RunResult(
        runId, "demo", status, null, started, started.plusSeconds(2), Usage.ZERO, Map.of());
  }

  // --- decisions ----------------------------------------------------------------------------

  @Test
  void recordsTheFirstDecisionOfANodeAndKeepsItAgainstLaterOnes() {
    store().create(info(RUN, T0)).close();
    Decision approve = Decision.approve("alice", "ship it", T0);

    assertThat(store().decide(RUN, "deploy", approve)).isEqualTo(approve);
    assertThat(other().decide(RUN, "deploy", Decision.reject("bob", "no", T0.plusSeconds(1))))
        .as("a second decision answers the one on record")
        .isEqualTo(approve);
    assertThat(store().decisions(RUN)).containsExactly(Map.entry("deploy", approve));
  }

  @Test
  void keepsDecisionsOfNodesInComposedWorkflowsApart() {
    store().create(info(RUN, T0)).close();
    Decision inner = Decision.reject("bob", null, T0);
    Decision outer = Decision.approve("alice", null, T0.plusMillis(1));
    store().decide(RUN, "review/gate", inner);
    store().decide(RUN, "review", outer);

    assertThat(other().decisions(RUN))
        .containsOnly(Map.entry("review/gate", inner), Map.entry("review", outer));
  }

  @Test
  void recordsADecisionWhileAnotherHandleHoldsTheRunsLockAndAfterItsEnd() {
    RunRecorder recorder = store().create(info(RUN, T0));
    Decision d = Decision.approve("alice", null, T0);
    assertThat(other().decide(RUN, "deploy", d)).isEqualTo(d);
    recorder.close();
    Decision later = Decision.approve("carol", "late", T0.plusSeconds(5));
    assertThat(other().decide(RUN, "other", later)).isEqualTo(later);

    assertThat(store().decisions(RUN))
        .containsOnly(Map.entry("deploy", d), Map.entry("other", later));
  }

  @Test
  void ofManyDecidingAtOnceExactlyOneWinsAndAllSeeIt() throws Exception {
    store().create(info(RUN, T0)).close();
    int deciders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(deciders);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Decision>> answers = new ArrayList<>();
      for (int i = 0; i < deciders; i++) {
        RunStore handle = i % 2 == 0 ? store() : other();
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
      Decision winner = answers.get(0).get(60, TimeUnit.SECONDS);
      for (Future<Decision> a : answers) {
        assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(winner);
      }
      assertThat(store().decisions(RUN)).containsExactly(Map.entry("deploy", winner));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWatchHearsOfDecisionsOnItsNodesOnlyFromAnyHandle() throws Exception {
    store().create(info(RUN, T0)).close();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    try (DecisionWatch w =
        store().watchDecisions(RUN, List.of("deploy", "review/gate"), heard::add)) {
      RunStore other = other();
      other.decide(RUN, "unwatched", Decision.approve("alice", null, T0));
      other.decide(RUN, "review/gate", Decision.approve("alice", null, T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("review/gate");
      store().decide(RUN, "deploy", Decision.reject("bob", "later", T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("deploy");
    }
    assertThat(heard).as("each node once, nothing unwatched").isEmpty();
  }

  @Test
  void aWatchHearsOfNothingOnceClosed() throws Exception {
    store().create(info(RUN, T0)).close();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    DecisionWatch w = store().watchDecisions(RUN, List.of("a", "b"), heard::add);
    w.close();
    w.close();
    store().decide(RUN, "a", Decision.approve("alice", null, T0));
    // A decision on a node of a watch still open proves the deliveries of the closed one are over.
    try (DecisionWatch open = store().watchDecisions(RUN, List.of("b"), heard::add)) {
      other().decide(RUN, "b", Decision.approve("alice", null, T0));
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("b");
    }
    assertThat(heard).isEmpty();
  }

  @Test
  void refusesDecisionsAndWatchesOfAnUnknownRun() {
    Decision d = Decision.approve("alice", null, T0);
    assertThatThrownBy(() -> store().decide("20261201-101500-ffff", "deploy", d))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("20261201-101500-ffff");
    assertThatThrownBy(() -> store().watchDecisions("20261201-101500-ffff", List.of("a"), n -> {}))
        .isInstanceOf(OrchestraException.class);
  }
}
