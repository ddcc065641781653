package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the SQL store's leases promise ({@link RunLeases}), on SQLite and PostgreSQL: several stores
 * on one database stand for several servers, each with a clock the test moves, so that leases
 * expire without waiting.
 */
abstract class LeasesContract {
  static final Instant T0 = Instant.parse("2026-12-01T10:15:00Z");
  static final Duration TTL = Duration.ofSeconds(30);
  static final Duration PAST_TTL = TTL.plusSeconds(1);

  @TempDir Path dir;
  private final List<SqlRunStore> stores = new ArrayList<>();

  /** The options of the test's database (the same one on every call within a test). */
  abstract SqlOptions.Builder database(Path dir);

  /** A store on the test's database standing for server {@code owner}. */
  final SqlRunStore server(String owner, MutableClock clock) {
    SqlRunStore store =
        SqlRunStore.open(database(dir).owner(owner).clock(clock).leaseTtl(TTL).build());
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(SqlRunStore::close);
  }

  static RunInfo info(String id) {
    return new RunInfo(id, "demo", null, "version: 1\n", Map.of(), T0);
  }

  static RecordedEvent event(String run, long seq) {
    return new RecordedEvent(seq, T0, run, new Event.NodeStarted("n", (int) seq));
  }

  @Test
  void aLiveLeaseKeepsOtherServersOutAndAReleasedOneLetsThemIn() {
    SqlRunStore a = server("server-a", new MutableClock(T0));
    SqlRunStore b = server("server-b", new MutableClock(T0));
    String run = "20261201-101500-0001";
    RunRecorder rec = a.create(info(run));

    assertThat(b.leases().claim(run)).isFalse();
    assertThatThrownBy(() -> b.reopen(run))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("is held by server-a until");
    assertThat(b.leases().lease(run)).get().extracting(Lease::owner).isEqualTo("server-a");
    assertThat(b.list(RunQuery.first(5).withStatuses(RunQuery.Status.RUNNING)).runs()).hasSize(1);

    rec.close();
    assertThat(b.leases().lease(run)).isEmpty();
    assertThat(b.list(RunQuery.first(5).withStatuses(RunQuery.Status.INTERRUPTED)).runs())
        .hasSize(1);
    assertThat(b.leases().claim(run)).isTrue();
    try (RunRecorder resumed = b.reopen(run)) {
      resumed.append(event(run, 1));
    }
    assertThat(a.events(run)).hasSize(1);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheFormerHolderWritesNoMoreIntoTheRun() {
    MutableClock bClock = new MutableClock(T0);
    SqlRunStore a = server("server-a", new MutableClock(T0));
    SqlRunStore b = server("server-b", bClock);
    String run = "20261201-101500-0002";
    RunRecorder stalled = a.create(info(run));
    stalled.append(event(run, 1));

    assertThat(b.leases().takeOverExpired(10)).isEmpty();
    bClock.advance(PAST_TTL);
    assertThat(b.list(RunQuery.first(5).withStatuses(RunQuery.Status.INTERRUPTED)).runs())
        .as("a dead holder's run is interrupted once its lease expired")
        .hasSize(1);
    assertThat(b.leases().takeOverExpired(10)).containsExactly(run);

    assertThatThrownBy(() -> stalled.append(event(run, 2)))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("no longer holds the run")
        .hasMessageContaining("server-b");
    try (RunRecorder resumed = b.reopen(run)) {
      resumed.append(event(run, 2));
      resumed.finish(
          new RunResult(
              run,
              "demo",
              RunStatus.SUCCEEDED,
              null,
              T0,
              T0.plusSeconds(40),
              Usage.ZERO,
              Map.of()));
    }
    assertThatThrownBy(
            () ->
                stalled.finish(
                    new RunResult(
                        run, "demo", RunStatus.FAILED, "late", T0, T0, Usage.ZERO, Map.of())))
        .isInstanceOf(OrchestraException.class);
    stalled.close();
    assertThat(a.events(run)).extracting(RecordedEvent::seq).containsExactly(1L, 2L);
    assertThat(a.result(run)).get().extracting(RunResult::status).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void serversTakingOverAtOnceDivideTheExpiredRunsBetweenThem() throws Exception {
    SqlRunStore dead = server("server-dead", new MutableClock(T0));
    Set<String> runs = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String id = String.format("20261201-101500-%04x", i);
      dead.create(info(id));
      runs.add(id);
    }
    List<SqlRunStore> survivors = new ArrayList<>();
    for (String owner : List.of("server-b", "server-c", "server-d")) {
      MutableClock clock = new MutableClock(T0);
      clock.advance(PAST_TTL);
      survivors.add(server(owner, clock));
    }
    ExecutorService pool = Executors.newFixedThreadPool(survivors.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<String>>> taken = new ArrayList<>();
      for (SqlRunStore s : survivors) {
        taken.add(
            pool.submit(
                () -> {
                  go.await();
                  List<String> mine = new ArrayList<>();
                  for (List<String> batch = s.leases().takeOverExpired(3);
                      !batch.isEmpty();
                      batch = s.leases().takeOverExpired(3)) {
                    mine.addAll(batch);
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<String> all = new ArrayList<>();
      for (int i = 0; i < survivors.size(); i++) {
        List<String> mine = taken.get(i).get(120, TimeUnit.SECONDS);
        String owner = survivors.get(i).options().owner();
        for (String id : mine) {
          assertThat(dead.leases().lease(id)).get().extracting(Lease::owner).isEqualTo(owner);
        }
        all.addAll(mine);
      }
      assertThat(all)
          .as("each run exactly once")
          .hasSize(30)
          .containsExactlyInAnyOrderElementsOf(runs);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void neitherReleasedNorFinishedRunsAreTakenOver() {
    SqlRunStore a = server("server-a", new MutableClock(T0));
    MutableClock later = new MutableClock(T0);
    later.advance(PAST_TTL);
    SqlRunStore b = server("server-b", later);
    a.create(info("20261201-101500-0003")).close();
    RunRecorder finished = a.create(info("20261201-101500-0004"));
    finished.finish(
        new RunResult(
            "20261201-101500-0004",
            "demo",
            RunStatus.SUCCEEDED,
            null,
            T0,
            T0,
            Usage.ZERO,
            Map.of()));

    assertThat(b.leases().takeOverExpired(10)).isEmpty();
    assertThat(b.leases().renew("20261201-101500-0003")).as("b holds no lease").isFalse();
    assertThat(a.leases().renew("20261201-101500-0004")).as("a still holds it").isTrue();
    finished.close();
    assertThatThrownBy(() -> b.leases().takeOverExpired(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDatabasesOneServerTakesOverLiveLeasesOfOtherOwnersButNotItsOwnNorEndedRuns() {
    SqlRunStore dead = server("server-dead", new MutableClock(T0));
    SqlRunStore sole = server("server-sole", new MutableClock(T0));
    String held = "20261201-101500-0005";
    String own = "20261201-101500-0006";
    String released = "20261201-101500-0007";
    RunRecorder stalled = dead.create(info(held));
    stalled.append(event(held, 1));
    RunRecorder mine = sole.create(info(own));
    dead.create(info(released)).close();

    assertThat(sole.leases().takeOverExpired(10)).as("no lease expired yet").isEmpty();
    assertThat(sole.leases().takeOverOthers(10)).containsExactly(held);
    assertThat(sole.leases().lease(held)).get().extracting(Lease::owner).isEqualTo("server-sole");
    assertThat(sole.leases().takeOverOthers(10)).as("taken once").isEmpty();
    assertThatThrownBy(() -> stalled.append(event(held, 2)))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("no longer holds the run");
    assertThat(sole.leases().lease(released)).as("released runs are resumed on purpose").isEmpty();
    mine.close();
    stalled.close();
    assertThatThrownBy(() -> sole.leases().takeOverOthers(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
