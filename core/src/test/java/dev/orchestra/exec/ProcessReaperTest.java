package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessReaperTest {
  private final LocalExecutor executor = new LocalExecutor();
  @TempDir Path dir;

  /** Starts a shell that prints the pid of its background {@code sleep} and waits for it. */
  private Execution startShellWithGrandchild(Lines lines) {
    return executor.start(
        new ProcessSpec(
            List.of("sh", "-c", "sleep 1000 & echo $!; wait"), dir, Map.of(), null, null),
        lines);
  }

  @Test
  void recordsTheGroupOfALocalProcessWithItsLeadersStartTime() throws Exception {
    var lines = new Lines(1);
    Execution execution = startShellWithGrandchild(lines);
    try {
      long grandchild = Long.parseLong(lines.awaitOut().get(0));
      ProcessGroup group = execution.processGroup().orElseThrow();

      assertThat(Pids.groupOf(grandchild)).isEqualTo(group.id());
      assertThat(group.started())
          .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    } finally {
      execution.kill();
    }
  }

  @Test
  void killsTheRecordedGroupWithItsGrandchildAndWaitsUntilItIsGone() throws Exception {
    var lines = new Lines(1);
    Execution execution = startShellWithGrandchild(lines);
    long grandchild = Long.parseLong(lines.awaitOut().get(0));
    ProcessGroup group = execution.processGroup().orElseThrow();

    ProcessReaper.Reaped reaped = ProcessReaper.reap(group);

    assertThat(reaped).isEqualTo(ProcessReaper.Reaped.KILLED);
    assertThat(Pids.allGone(List.of(group.id(), grandchild), Duration.ofSeconds(5))).isTrue();
    assertThat(execution.await(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void leavesAProcessAloneWhoseStartTimeIsNotTheRecordedOne() throws Exception {
    var lines = new Lines(1);
    Execution execution = startShellWithGrandchild(lines);
    try {
      long grandchild = Long.parseLong(lines.awaitOut().get(0));
      ProcessGroup real = execution.processGroup().orElseThrow();
      // The pid as a crashed run would have recorded it for a process that has since ended.
      ProcessGroup recorded = new ProcessGroup(real.id(), real.started().minusSeconds(3600));

      ProcessReaper.Reaped reaped = ProcessReaper.reap(recorded);

      assertThat(reaped).isEqualTo(ProcessReaper.Reaped.STRANGER);
      assertThat(Pids.running(real.id())).isTrue();
      assertThat(Pids.running(grandchild)).isTrue();
    } finally {
      execution.kill();
    }
  }

  @Test
  void findsNothingToKillWhenTheLeaderHasExited() throws Exception {
    Execution execution =
        executor.start(new ProcessSpec(List.of("true"), dir, Map.of(), null, null), new Lines());
    execution.await();
    long pid = ((LocalExecution) execution).pid();

    assertThat(ProcessReaper.reap(new ProcessGroup(pid, Instant.now())))
        .isEqualTo(ProcessReaper.Reaped.NOT_RUNNING);
  }

  @Test
  void toleratesOneSecondBetweenStartTimesReadByDifferentProcesses() {
    Instant t = Instant.parse("2026-11-23T23:00:00.120Z");

    assertThat(ProcessReaper.sameStart(t, t.plusMillis(1000))).isTrue();
    assertThat(ProcessReaper.sameStart(t, t.minusMillis(1000))).isTrue();
    assertThat(ProcessReaper.sameStart(t, t.plusMillis(1001))).isFalse();
  }
}
