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

  /**
   * Starts a shell that puts a daemon into its own session (out of the group, holding stdout),
   * prints the daemon's pid and then sleeps as the group's leader.
   */
  private Execution startWithDaemon(Lines lines) {
    return executor.start(
        new ProcessSpec(
            List.of(
                "sh",
                "-c",
                "(setsid sleep 1000 & "
                    + Pids.printOnceItRuns("sleep 1000")
                    + "); exec sleep 1000"),
            dir,
            Map.of(),
            null,
            null),
        lines);
  }

  @Test
  void killsADaemonThatLeftTheGroupByItsTagAlongWithTheGroup() throws Exception {
    var lines = new Lines(1);
    Execution execution = startWithDaemon(lines);
    long daemon = Long.parseLong(lines.awaitOut().get(0));
    ProcessGroup group = execution.processGroup().orElseThrow();
    assertThat(Pids.groupOf(daemon)).isNotEqualTo(group.id());

    ProcessReaper.Reaping reaping = ProcessReaper.reapAll(group);

    assertThat(reaping.outcome()).isEqualTo(ProcessReaper.Reaped.KILLED);
    // The subshell that printed the pid may still be on its way out, and be ended too.
    assertThat(reaping.ended()).contains(new EndedProcess(daemon, "sleep 1000"));
    assertThat(Pids.running(daemon)).isFalse();
    assertThat(Pids.running(group.id())).isFalse();
  }

  @Test
  void killsATaggedDaemonWhoseLeaderIsGoneAsAfterAKillDashNine() throws Exception {
    var lines = new Lines(1);
    Execution execution = startWithDaemon(lines);
    long daemon = Long.parseLong(lines.awaitOut().get(0));
    ProcessGroup group = execution.processGroup().orElseThrow();
    // Only the leader dies, as the engine's JVM and its kill paths did in a crash.
    ProcessHandle leader = ProcessHandle.of(group.id()).orElseThrow();
    assertThat(leader.destroyForcibly()).isTrue();
    assertThat(Pids.gone(group.id(), Duration.ofSeconds(10))).isTrue();
    assertThat(Pids.running(daemon)).isTrue();

    assertThat(ProcessReaper.reap(group)).isEqualTo(ProcessReaper.Reaped.KILLED);
    assertThat(Pids.running(daemon)).isFalse();
  }

  @Test
  void killsADaemonThatClearedItsEnvironmentByTheOutputPipeItHoldsAfterAKillDashNine()
      throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(
            new ProcessSpec(
                List.of(
                    "sh",
                    "-c",
                    "(setsid env -i sleep 1004 & "
                        + Pids.printOnceItRuns("sleep 1004")
                        + "); exec sleep 1005"),
                dir,
                Map.of(),
                null,
                null),
            lines);
    long daemon = Long.parseLong(lines.awaitOut().get(0));
    ProcessGroup recorded = execution.processGroup().orElseThrow();
    assertThat(recorded.pipes()).hasSize(2).allMatch(p -> p.startsWith("pipe:["));
    // The record without its tag: the pipe alone must find the daemon.
    ProcessGroup group =
        new ProcessGroup(recorded.id(), recorded.started(), null, recorded.pipes());
    ProcessHandle leader = ProcessHandle.of(group.id()).orElseThrow();
    assertThat(leader.destroyForcibly()).isTrue();
    assertThat(Pids.gone(group.id(), Duration.ofSeconds(10))).isTrue();
    assertThat(Pids.running(daemon)).isTrue();

    ProcessReaper.Reaping reaping = ProcessReaper.reapAll(group);

    assertThat(reaping.outcome()).isEqualTo(ProcessReaper.Reaped.KILLED);
    assertThat(reaping.ended()).contains(new EndedProcess(daemon, "sleep 1004"));
    assertThat(Pids.allGone(List.of(daemon), Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void leavesATaggedProcessAloneThatStartedBeforeTheRecordedLeader() throws Exception {
    String tag = ProcessTag.newName();
    var builder = new ProcessBuilder("sleep", "1000");
    builder.environment().put(tag, "forged");
    Process older = builder.start();
    try {
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      // A leader that is gone and started an hour from now: the tagged process predates it.
      ProcessGroup recorded = new ProcessGroup(gone.pid(), Instant.now().plusSeconds(3600), tag);

      assertThat(ProcessReaper.reap(recorded)).isEqualTo(ProcessReaper.Reaped.NOT_RUNNING);
      assertThat(older.isAlive()).isTrue();
    } finally {
      older.destroyForcibly();
    }
  }
}
