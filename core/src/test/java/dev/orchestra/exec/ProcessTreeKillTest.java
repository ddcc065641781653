package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeKillTest {
  /**
   * Prints the pids of: a background child, a grandchild (child of a child shell), and a daemon
   * that double-forked away from the tree (its parent exits, so it is re-parented) but stays in the
   * group. Then waits forever.
   */
  static final String FAMILY =
      "sleep 1000 & echo $!\n"
          + "sh -c 'sleep 1000 & echo $!; wait' &\n"
          + "( sleep 1000 </dev/null >/dev/null 2>&1 & echo $! )\n"
          + "wait\n";

  /**
   * Prints the pids of: a daemon that double-forked into its own session and holds stdout open,
   * then a background child that stays in the group. Then waits forever.
   */
  static final String ESCAPED =
      "( setsid sleep 1000 & echo $! )\n" + "sleep 1000 & echo $!\n" + "wait\n";

  /** Far longer than a kill takes (TERM, a grace, KILL), far shorter than the `sleep 1000`s. */
  private static final Duration FAR = Duration.ofSeconds(300);

  private final LocalExecutor executor = new LocalExecutor();
  @TempDir Path dir;

  private Execution start(String script, Lines lines) {
    return executor.start(
        new ProcessSpec(List.of("sh", "-c", script), dir, Map.of(), null, null), lines);
  }

  private static List<Long> pids(List<String> lines) {
    return lines.stream().map(Long::parseLong).collect(Collectors.toList());
  }

  @Test
  void killReachesChildrenGrandchildrenAndDaemonsThatLeftTheTree() throws Exception {
    var lines = new Lines(3);
    Execution execution = start(FAMILY, lines);
    List<Long> family = pids(lines.awaitOut());
    assertThat(family).allSatisfy(pid -> assertThat(Pids.running(pid)).isTrue());

    execution.kill();

    assertThat(execution.await(FAR)).isTrue();
    ExitStatus exit = execution.await();
    assertThat(exit.killed()).isTrue();
    assertThat(exit.code()).isEqualTo(128 + 15);
    assertThat(Pids.allGone(family, FAR)).isTrue();
  }

  @Test
  void killReturnsWhenTheTreeIgnoresSigterm() throws Exception {
    var lines = new Lines(3);
    // An ignored signal stays ignored across fork and exec, so the whole family ignores TERM.
    Execution execution = start("trap '' TERM\n" + FAMILY, lines);
    List<Long> family = pids(lines.awaitOut());

    long started = System.nanoTime();
    execution.kill();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // A far bound: it tells a kill that escalates to SIGKILL from one waiting on `sleep 1000`.
    assertThat(took).isLessThan(FAR);
    assertThat(execution.await(FAR)).isTrue();
    assertThat(execution.await().code()).isEqualTo(128 + 9);
    assertThat(Pids.allGone(family, FAR)).isTrue();
  }

  @Test
  void killIsIdempotentAndHarmlessAfterExit() throws Exception {
    var lines = new Lines(1);
    Execution execution = start("echo ready; exec sleep 1000", lines);
    lines.awaitOut();

    execution.kill();
    // A second kill must not start another TERM-then-KILL round (which waits up to 2 s).
    long started = System.nanoTime();
    execution.kill();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    assertThat(execution.await().killed()).isTrue();

    Execution finished = start("exit 0", new Lines());
    assertThat(finished.await().code()).isZero();
    finished.kill();
    assertThat(finished.await()).isEqualTo(ExitStatus.exited(0));
  }

  @Test
  void killEndsADoubleForkedDaemonThatHoldsStdoutAndNamesWhatItEnded() throws Exception {
    var lines = new Lines(2);
    Execution execution = start(ESCAPED, lines);
    List<Long> pids = pids(lines.awaitOut());

    long started = System.nanoTime();
    execution.kill();
    assertThat(execution.await(FAR)).isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // A far bound: it tells a kill that escalates to SIGKILL from one waiting on `sleep 1000`.
    assertThat(took).isLessThan(FAR);
    ExitStatus exit = execution.await();
    assertThat(exit.killed()).isTrue();
    assertThat(exit.ended()).extracting(EndedProcess::pid).containsAll(pids);
    assertThat(exit.endedSummary("the attempt"))
        .get()
        .asString()
        .startsWith("ended ")
        .contains(" the attempt had started, along with it: ");
    assertThat(Pids.anyRunning(pids)).isFalse();
  }

  @Test
  void killEndsADaemonThatLeftTheGroupAndIgnoresSigterm() throws Exception {
    var lines = new Lines(2);
    Execution execution = start("trap '' TERM\n" + ESCAPED, lines);
    List<Long> pids = pids(lines.awaitOut());

    long started = System.nanoTime();
    execution.kill();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // A far bound: it tells a kill that escalates to SIGKILL from one waiting on `sleep 1000`.
    assertThat(took).isLessThan(FAR);
    assertThat(execution.await(FAR)).isTrue();
    assertThat(execution.await().code()).isEqualTo(128 + 9);
    assertThat(Pids.anyRunning(pids)).isFalse();
  }

  /**
   * Between its fork and its exec, a process this JVM starts holds a copy of all the JVM's
   * descriptors, the read ends of other executions' output pipes among them. Such a child of the
   * JVM (here one that opens another execution's stdout pipe through /proc) is not that execution's
   * to end: on a busy run a signal to it would reach the JVM's own handlers.
   */
  @Test
  void aChildOfThisJvmHoldingAnotherExecutionsPipeIsNotEndedWithIt() throws Exception {
    var lines = new Lines(1);
    var execution = (LocalExecution) start("echo ready; exec sleep 1000", lines);
    lines.awaitOut();
    Process holder =
        new ProcessBuilder(
                "sh",
                "-c",
                "exec 3>/proc/" + execution.pid() + "/fd/1; echo holding; exec sleep 1000")
            .redirectErrorStream(true)
            .start();
    try {
      var reader =
          new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
      assertThat(reader.readLine()).isEqualTo("holding");
      assertThat(ProcFs.writesToAny(holder.pid(), ProcFs.outputPipes(execution.pid()))).isTrue();

      execution.kill();

      assertThat(execution.await(Duration.ofSeconds(10))).isTrue();
      assertThat(execution.await().ended())
          .extracting(EndedProcess::pid)
          .doesNotContain(holder.pid());
      assertThat(holder.isAlive()).isTrue();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }
}
