package dev.orchestra.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoredPlanTest {
  private static final RunPlan PLAN =
      new RunPlan(List.of(new PlannedNode("a", List.of(), "command", 1)), List.of());

  @Test
  void loadsOnFirstUseOnlyAndAnswersTheSamePlanAfter() {
    AtomicInteger loads = new AtomicInteger();
    StoredPlan stored =
        StoredPlan.loadedBy(
            () -> {
              loads.incrementAndGet();
              return Optional.of(PLAN);
            });

    assertThat(stored.toString()).isEqualTo("StoredPlan[not read yet]");
    assertThat(loads).hasValue(0);
    assertThat(stored.get()).containsSame(PLAN);
    assertThat(stored.get()).containsSame(PLAN);
    assertThat(loads).hasValue(1);
    assertThat(stored.toString()).isEqualTo("StoredPlan[1 nodes]");
  }

  @Test
  void aFailedLoadReachesItsCallerAndTheNextUseTriesAgain() {
    AtomicInteger loads = new AtomicInteger();
    StoredPlan stored =
        StoredPlan.loadedBy(
            () -> {
              if (loads.incrementAndGet() == 1) {
                throw new OrchestraException("cannot read the plan of run r: disk on fire");
              }
              return Optional.of(PLAN);
            });

    assertThatThrownBy(stored::get).hasMessageContaining("disk on fire");
    assertThat(stored.get()).contains(PLAN);
    assertThat(loads).hasValue(2);
  }

  @Test
  void concurrentFirstUsesLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<Void> secondWaits = new CompletableFuture<>();
    StoredPlan stored =
        StoredPlan.loadedBy(
            () -> {
              loads.incrementAndGet();
              // Hold the first load until the second caller waits for it.
              secondWaits.join();
              return Optional.of(PLAN);
            });
    CompletableFuture<Optional<RunPlan>> first = CompletableFuture.supplyAsync(stored::get);
    while (loads.get() == 0) {
      Thread.onSpinWait();
    }
    AtomicReference<Optional<RunPlan>> got = new AtomicReference<>();
    Thread second = new Thread(() -> got.set(stored.get()));
    second.start();
    // Until the second caller waits for the first load (or, were it not thread-safe, loads too).
    while (second.getState() != Thread.State.BLOCKED && loads.get() == 1 && second.isAlive()) {
      Thread.onSpinWait();
    }
    secondWaits.complete(null);
    second.join(TimeUnit.SECONDS.toMillis(60));

    assertThat(first.get(60, TimeUnit.SECONDS)).containsSame(PLAN);
    assertThat(got.get()).containsSame(PLAN);
    assertThat(loads).hasValue(1);
  }

  @Test
  void aRunInfoSaysNullForNoPlanAndComparesByThePlans() {
    RunInfo old = new RunInfo("20261204-120000-abcd", "demo", null, "", Map.of(), Instant.EPOCH);

    assertThat(old.plan()).isNull();
    assertThat(old.storedPlan()).isSameAs(StoredPlan.ABSENT);
    assertThat(old.withStoredPlan(StoredPlan.loadedBy(() -> Optional.of(PLAN))))
        .isEqualTo(old.withPlan(PLAN))
        .isNotEqualTo(old);
    assertThat(old.withStoredPlan(StoredPlan.loadedBy(Optional::empty))).isEqualTo(old);
  }
}
