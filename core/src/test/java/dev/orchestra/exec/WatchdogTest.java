package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {
  private final LocalExecutor executor = new LocalExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  @TempDir Path dir;

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  private Watchdog realTime() {
    return new Watchdog(Clock.systemUTC(), timers, Runnable::run);
  }

  private Execution start(String script, OutputListener listener) {
    return executor.start(
        new ProcessSpec(List.of("sh", "-c", script), dir, Map.of(), null, null), listener);
  }

  private static List<Long> pids(List<String> lines) {
    return lines.stream()
        .filter(line -> line.matches("\\d+"))
        .map(Long::parseLong)
        .collect(Collectors.toList());
  }

  @Test
  void wallTimeoutKillsTheTreeAndSaysSo() throws Exception {
    var lines = new Lines(3);
    // The idle limit is far away, so only the wall clock can end it.
    Watch watch = realTime().newWatch(Duration.ofSeconds(1), Duration.ofSeconds(30));
    Execution execution = start(ProcessTreeKillTest.FAMILY, watch.listener(lines));
    watch.start(execution);

    ExitStatus exit = execution.await();
    watch.close();

    assertThat(watch.fired()).contains(TimeoutKind.WALL);
    assertThat(watch.reason()).contains("timed out after 1s (timeout)");
    assertThat(exit.killed()).isTrue();
    List<Long> family = pids(lines.awaitOut());
    assertThat(family).hasSize(3);
    assertThat(Pids.allGone(family, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void idleTimeoutFiresWhenThereIsNoOutput() throws Exception {
    var lines = new Lines(3);
    Watch watch = realTime().newWatch(Duration.ofMinutes(5), Duration.ofMillis(800));
    Execution execution = start(ProcessTreeKillTest.FAMILY, watch.listener(lines));
    watch.start(execution);

    execution.await();
    watch.close();

    assertThat(watch.fired()).contains(TimeoutKind.IDLE);
    assertThat(watch.reason()).contains("no output for 800ms (idle_timeout)");
    assertThat(Pids.allGone(pids(lines.awaitOut()), Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void idleTimeoutDoesNotFireWhileOutputKeepsFlowing() throws Exception {
    var lines = new Lines();
    // 30 lines 50 ms apart take well over the idle limit, which only output can keep away.
    Watch watch = realTime().newWatch(null, Duration.ofSeconds(1));
    Execution execution =
        start(
            "i=0; while [ $i -lt 30 ]; do echo $i; sleep 0.05; i=$((i+1)); done",
            watch.listener(lines));
    watch.start(execution);

    ExitStatus exit = execution.await();
    watch.close();

    assertThat(watch.fired()).isEmpty();
    assertThat(exit).isEqualTo(ExitStatus.exited(0));
    assertThat(lines.out()).hasSize(30);
  }

  @Test
  void measuresLimitsWithTheInjectedClock() throws Exception {
    var clock = new MovableClock();
    Watchdog watchdog = new Watchdog(clock, timers, Runnable::run);
    var lines = new Lines(1);
    Execution execution = start("echo ready; exec sleep 1000", lines);
    Watch watch = watchdog.watch(execution, Duration.ofHours(1), Duration.ofMinutes(10));
    lines.awaitOut();

    clock.advance(Duration.ofMinutes(9));
    watch.onOutput();
    clock.advance(Duration.ofMinutes(9));
    watch.check();
    assertThat(watch.fired()).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    watch.check();

    assertThat(watch.fired()).contains(TimeoutKind.IDLE);
    assertThat(execution.await(Duration.ofSeconds(5))).isTrue();
    assertThat(execution.await().killed()).isTrue();
  }

  @Test
  void closedWatchNeverFires() throws Exception {
    var clock = new MovableClock();
    Watchdog watchdog = new Watchdog(clock, timers, Runnable::run);
    Execution execution = start("exit 0", new Lines());
    Watch watch = watchdog.watch(execution, Duration.ofSeconds(1), null);
    execution.await();
    watch.close();

    clock.advance(Duration.ofHours(1));
    watch.check();

    assertThat(watch.fired()).isEmpty();
  }

  /** A clock that moves only when told. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-23T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void wallTimeoutIsNotDefeatedByADoubleForkedDaemonThatHoldsStdout() throws Exception {
    var lines = new Lines(2);
    Watch watch = realTime().newWatch(Duration.ofSeconds(1), null);
    Execution execution = start(ProcessTreeKillTest.ESCAPED, watch.listener(lines));
    List<Long> pids = pids(lines.awaitOut());
    // The limit counts from here, once the daemon is there.
    long started = System.nanoTime();
    watch.start(execution);

    ExitStatus exit = execution.await();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    watch.close();

    assertThat(watch.fired()).contains(TimeoutKind.WALL);
    assertThat(exit.killed()).isTrue();
    // A far bound: the daemon holding stdout must not keep the attempt running (it sleeps 1000 s).
    assertThat(took).isLessThan(Duration.ofSeconds(300));
    assertThat(exit.ended()).extracting(EndedProcess::pid).containsAll(pids);
    assertThat(Pids.anyRunning(pids)).isFalse();
  }
}
