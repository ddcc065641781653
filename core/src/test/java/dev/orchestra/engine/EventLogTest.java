package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLogTest {
  /** Records nothing. */
  private static RunRecorder recorder(String runId) {
    return new RunRecorder() {
      @Override
      public String runId() {
        return runId;
      }

      @Override
      public void append(RecordedEvent event) {}

      @Override
      public AttemptRecorder attempt(String node, int attempt) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void finish(RunResult result) {}

      @Override
      public void close() {}
    };
  }

  private static EventLog log(String runId, EventListener listener) {
    return new EventLog(
        runId, Clock.systemUTC(), recorder(runId), 0, List.of(listener), new SecretMasker());
  }

  private static long deliveryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("orchestra-events-"))
        .count();
  }

  @Test
  void eachLogDeliversInOrderOneAtATimeAndItsCloseWaitsForTheRest() throws Exception {
    int logs = 50;
    int events = 200;
    List<List<Long>> seen = new ArrayList<>();
    List<EventLog> all = new ArrayList<>();
    int[] inside = new int[logs];
    boolean[] overlapped = new boolean[1];
    for (int i = 0; i < logs; i++) {
      List<Long> mine = Collections.synchronizedList(new ArrayList<>());
      seen.add(mine);
      int at = i;
      all.add(
          log(
              "run-" + i,
              e -> {
                synchronized (inside) {
                  overlapped[0] |= ++inside[at] > 1;
                }
                mine.add(e.seq());
                synchronized (inside) {
                  inside[at]--;
                }
              }));
    }
    // Emitted from several threads at once, each log's own events from one thread.
    List<CompletableFuture<Void>> emitters = new ArrayList<>();
    for (int i = 0; i < logs; i++) {
      EventLog log = all.get(i);
      emitters.add(
          CompletableFuture.runAsync(
              () -> {
                for (int k = 0; k < events; k++) {
                  log.emit(new Event.NodeOutput("n", "stdout", "line " + k));
                }
              }));
    }
    for (CompletableFuture<Void> f : emitters) {
      f.get(60, TimeUnit.SECONDS);
    }
    for (EventLog log : all) {
      log.close().get(60, TimeUnit.SECONDS);
    }
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= events; s++) {
      expected.add(s);
    }
    for (List<Long> mine : seen) {
      assertThat(mine).isEqualTo(expected);
    }
    assertThat(overlapped[0]).as("two deliveries of one log at once").isFalse();
  }

  @Test
  void logsShareDeliveryThreadsAndAnUnclosedLogHoldsNone() throws Exception {
    int logs = 300;
    CountDownLatch delivered = new CountDownLatch(logs);
    for (int i = 0; i < logs; i++) {
      // Never closed, as a log whose run was abandoned: each one used to keep a thread waiting.
      log("run-" + i, e -> delivered.countDown())
          .emit(new Event.NodeOutput("n", "stdout", "one line"));
    }
    assertThat(delivered.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(deliveryThreads()).isLessThan(logs / 3);
  }
}
