package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest {
  private final LocalExecutor executor = new LocalExecutor();
  @TempDir Path dir;

  private ProcessSpec spec(String... argv) {
    return new ProcessSpec(List.of(argv), dir, Map.of(), null, null);
  }

  private ExitStatus run(ProcessSpec spec, Lines lines) throws InterruptedException {
    Execution execution = executor.start(spec, lines);
    assertThat(execution.await(Duration.ofSeconds(20))).as("process ended").isTrue();
    return execution.await();
  }

  @Test
  void deliversOutputLinesInOrderPerStream() throws Exception {
    var lines = new Lines();
    ExitStatus exit =
        run(
            spec(
                "sh",
                "-c",
                "i=1; while [ $i -le 500 ]; do echo out$i; echo err$i >&2;" + " i=$((i+1)); done"),
            lines);

    assertThat(exit).isEqualTo(ExitStatus.exited(0));
    assertThat(lines.out()).containsExactlyElementsOf(numbered("out", 500));
    assertThat(lines.err()).containsExactlyElementsOf(numbered("err", 500));
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  @Test
  void givesStdinAtEndOfFileSoCatReturnsAtOnce() throws Exception {
    var lines = new Lines();
    ExitStatus exit = run(spec("cat"), lines);

    assertThat(exit.code()).isZero();
    assertThat(lines.out()).isEmpty();
  }

  @Test
  void feedsTheStdinFile() throws Exception {
    Path input = Files.writeString(dir.resolve("in.txt"), "first\nsecond\n");
    var lines = new Lines();
    run(new ProcessSpec(List.of("cat"), dir, Map.of(), input, null), lines);

    assertThat(lines.out()).containsExactly("first", "second");
  }

  @Test
  void passesTheSpecEnvironmentOnTopOfTheJvms() throws Exception {
    var lines = new Lines();
    run(
        new ProcessSpec(
            List.of("sh", "-c", "echo \"$ORCHESTRA_TEST_VALUE\"; echo \"$HOME\""),
            dir,
            Map.of("ORCHESTRA_TEST_VALUE", "from spec"),
            null,
            null),
        lines);

    assertThat(lines.out()).containsExactly("from spec", System.getenv("HOME"));
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    var lines = new Lines();
    run(spec("pwd", "-P"), lines);

    assertThat(lines.out()).containsExactly(dir.toRealPath().toString());
  }

  @Test
  void reportsExitCodesAndSignalsAs128PlusTheSignal() throws Exception {
    assertThat(run(spec("sh", "-c", "exit 3"), new Lines())).isEqualTo(ExitStatus.exited(3));

    ExitStatus signalled = run(spec("sh", "-c", "kill -9 $$"), new Lines());
    assertThat(signalled.code()).isEqualTo(128 + 9);
    assertThat(signalled.killed()).isFalse();
  }

  @Test
  void deliversAFinalLineWithoutLineBreakAndDropsCarriageReturns() throws Exception {
    var lines = new Lines();
    run(spec("printf", "a\\r\\nb\\n\\nlast"), lines);

    assertThat(lines.out()).containsExactly("a", "b", "", "last");
  }

  @Test
  void cutsVeryLongLinesIntoPiecesWithoutLosingText() throws Exception {
    var lines = new Lines();
    run(spec("sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo after"), lines);

    List<String> out = lines.out();
    assertThat(out).hasSize(4).last().isEqualTo("after");
    assertThat(out.subList(0, 3)).allSatisfy(piece -> assertThat(piece).matches("x+"));
    assertThat(out.subList(0, 3).stream().mapToInt(String::length).sum()).isEqualTo(3_000_000);
  }

  @Test
  void keepsMultiByteCharactersWholeWhenCuttingLongLines() throws Exception {
    var lines = new Lines();
    // "é" is two bytes; one leading "a" makes the 1 MiB cut fall inside a character.
    run(
        spec("sh", "-c", "printf a; head -c 1200000 /dev/zero | tr '\\0' e | sed 's/e/é/g'"),
        lines);

    String joined = String.join("", lines.out());
    assertThat(joined).startsWith("aé").doesNotContain("\uFFFD").hasSize(1 + 1_200_000);
  }

  @Test
  void survivesBinaryGarbage() throws Exception {
    var lines = new Lines();
    ExitStatus exit = run(spec("sh", "-c", "head -c 200000 /dev/urandom; echo; echo end"), lines);

    assertThat(exit.code()).isZero();
    assertThat(lines.out()).last().isEqualTo("end");
  }

  @Test
  void rejectsAMissingProgramNamingItAndTheDirectory() {
    assertThatThrownBy(() -> executor.start(spec("no-such-program-xyz", "arg"), new Lines()))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("no-such-program-xyz")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void rejectsAMissingWorkingDirectory() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () ->
                executor.start(
                    new ProcessSpec(List.of("true"), missing, Map.of(), null, null), new Lines()))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void runsAProgramGivenByRelativePath() throws Exception {
    Path script = Files.writeString(dir.resolve("hello.sh"), "#!/bin/sh\necho hello\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    var lines = new Lines();
    run(spec("./hello.sh"), lines);

    assertThat(lines.out()).containsExactly("hello");
  }

  @Test
  void startsEachProcessAsTheLeaderOfItsOwnGroup() throws Exception {
    var lines = new Lines(1);
    var execution =
        (LocalExecution) executor.start(spec("sh", "-c", "echo ready; exec sleep 1000"), lines);
    try {
      lines.awaitOut();
      assertThat(Pids.groupOf(execution.pid())).isEqualTo(execution.pid());
      assertThat(Pids.groupOf(execution.pid()))
          .isNotEqualTo(Pids.groupOf(ProcessHandle.current().pid()));
    } finally {
      execution.kill();
    }
  }

  @Test
  void keepsDrainingWhenTheListenerThrowsSoTheProcessNeverBlocksOnAFullPipe() throws Exception {
    // 200,000 lines overflow the 64 KiB pipe many times over.
    Execution execution =
        executor.start(
            spec("sh", "-c", "seq 1 200000"),
            (stream, line) -> {
              throw new IllegalStateException("listener bug");
            });

    assertThat(execution.await(Duration.ofSeconds(20))).isTrue();
    assertThat(execution.await().code()).isZero();
  }

  /** Runs {@code script}, which prints the pid of what it leaves behind, to its end. */
  private Leftover runLeavingBehind(String script) throws InterruptedException {
    var lines = new Lines(1);
    ExitStatus exit = run(spec("sh", "-c", script), lines);
    return new Leftover(exit, Long.parseLong(lines.out().get(0)));
  }

  private record Leftover(ExitStatus exit, long pid) {}

  @Test
  void endsABackgroundJobThatHoldsTheOutputOnceTheProcessHasExitedAndNamesIt() throws Exception {
    Leftover left = runLeavingBehind("sleep 777 & " + Pids.printOnceItRuns("sleep 777"));

    assertThat(left.exit().code()).isZero();
    assertThat(left.exit().killed()).isFalse();
    assertThat(left.exit().detail()).isNull();
    assertThat(left.exit().ended()).containsExactly(new EndedProcess(left.pid(), "sleep 777"));
    // await returned after the sweep saw it gone: no waiting here.
    assertThat(Pids.allGone(List.of(left.pid()), Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void endsABackgroundJobThatClosedItsOutput() throws Exception {
    Leftover left =
        runLeavingBehind("sleep 778 >/dev/null 2>&1 & " + Pids.printOnceItRuns("sleep 778"));

    assertThat(left.exit().code()).isZero();
    assertThat(left.exit().ended()).containsExactly(new EndedProcess(left.pid(), "sleep 778"));
    assertThat(Pids.allGone(List.of(left.pid()), Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void endsADoubleForkedDaemonInItsOwnSessionThatHoldsTheOutput() throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(
            spec("sh", "-c", "(setsid sleep 779 & " + Pids.printOnceItRuns("sleep 779") + ")"),
            lines);
    long daemon = Long.parseLong(lines.awaitOut().get(0));
    // It left the group: only its tag can find it.
    assertThat(Pids.groupOf(daemon)).isNotEqualTo(((LocalExecution) execution).pid());

    ExitStatus exit = execution.await();

    assertThat(exit.code()).isZero();
    assertThat(exit.ended()).containsExactly(new EndedProcess(daemon, "sleep 779"));
    assertThat(Pids.running(daemon)).isFalse();
  }

  @Test
  void endsADoubleForkedDaemonThatClosedItsOutput() throws Exception {
    Leftover left =
        runLeavingBehind(
            "(setsid sleep 780 </dev/null >/dev/null 2>&1 & "
                + Pids.printOnceItRuns("sleep 780")
                + ")");

    assertThat(left.exit().ended()).containsExactly(new EndedProcess(left.pid(), "sleep 780"));
    assertThat(Pids.allGone(List.of(left.pid()), Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void reportsNothingEndedWhenTheProcessLeftNothingBehind() throws Exception {
    ExitStatus exit = run(spec("sh", "-c", "sleep 0 & wait; echo done"), new Lines());

    assertThat(exit).isEqualTo(ExitStatus.exited(0));
    assertThat(exit.endedSummary("the attempt")).isEmpty();
  }

  @Test
  void marksTheProcessWithATagNamingRunNodeAndAttemptThatItsChildrenInherit() throws Exception {
    String printTags = "env | grep ^ORCHESTRA_TAG_; sh -c 'env | grep ^ORCHESTRA_TAG_'";
    Map<String, String> labels =
        Map.of(
            "orchestra.run", "20261123-221530-3fa2",
            "orchestra.node", "build",
            "orchestra.attempt", "2");
    var lines = new Lines(2);
    Execution execution =
        executor.start(
            new ProcessSpec(
                List.of("sh", "-c", printTags + "; exec sleep 1000"), dir, Map.of(), null, labels),
            lines);
    List<String> tags = lines.awaitOut();
    String tag = execution.processGroup().orElseThrow().tag();
    execution.kill();

    assertThat(tag).matches("ORCHESTRA_TAG_[0-9A-F]{16}");
    assertThat(tags).containsOnly(tag + "=20261123-221530-3fa2/build/2").hasSize(2);
    var other = new Lines();
    run(spec("sh", "-c", printTags), other);
    assertThat(other.out()).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain(tag));
  }

  @Test
  void awaitWithATimeoutReturnsFalseWhileTheProcessRuns() throws Exception {
    var lines = new Lines(1);
    Execution execution = executor.start(spec("sh", "-c", "echo ready; exec sleep 1000"), lines);
    lines.awaitOut();
    try {
      assertThat(execution.await(Duration.ofMillis(100))).isFalse();
    } finally {
      execution.kill();
    }
    assertThat(execution.await().killed()).isTrue();
  }

  @Test
  void awaitWithATimeoutKeepsItsLimitWhileWhatTheProcessLeftIsBeingEnded() throws Exception {
    var lines = new Lines(1);
    // The ignored TERM is inherited: the sleep goes only at the SIGKILL that follows the grace.
    Execution execution =
        executor.start(spec("sh", "-c", "trap '' TERM; sleep 1000 & echo $!"), lines);
    long sleeper = Long.parseLong(lines.awaitOut().get(0));
    assertThat(Pids.gone(((LocalExecution) execution).pid(), Duration.ofSeconds(10))).isTrue();

    // The process has exited, but ending its leftover takes the whole grace.
    assertThat(execution.await(Duration.ofMillis(300))).isFalse();

    ExitStatus exit = execution.await();
    assertThat(exit.code()).isZero();
    assertThat(exit.ended()).extracting(EndedProcess::pid).containsExactly(sleeper);
    assertThat(Pids.running(sleeper)).isFalse();
  }

  @Test
  void endsADaemonThatLeftTheGroupAndClearedItsEnvironmentByTheOutputItHolds() throws Exception {
    var lines = new Lines(1);
    // No group, no tag: only the stdout pipe it holds open tells it is the execution's.
    Execution execution =
        executor.start(
            spec(
                "sh",
                "-c",
                "(setsid env -i sleep 1000 & " + Pids.printOnceItRuns("sleep 1000") + ")"),
            lines);
    long hidden = Long.parseLong(lines.awaitOut().get(0));
    try {
      ExitStatus exit = execution.await();

      assertThat(exit.code()).isZero();
      assertThat(exit.detail()).isNull();
      assertThat(exit.ended()).containsExactly(new EndedProcess(hidden, "sleep 1000"));
      assertThat(Pids.allGone(List.of(hidden), Duration.ofSeconds(5))).isTrue();
    } finally {
      ProcessHandle.of(hidden).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aTimeoutEndsADaemonThatClearedItsEnvironmentWhileTheProcessStillRuns() throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(
            spec(
                "sh",
                "-c",
                "(setsid env -i sleep 1001 & "
                    + Pids.printOnceItRuns("sleep 1001")
                    + "); exec sleep 1002"),
            lines);
    long hidden = Long.parseLong(lines.awaitOut().get(0));
    try {
      execution.kill();
      ExitStatus exit = execution.await();

      assertThat(exit.killed()).isTrue();
      assertThat(exit.ended()).extracting(EndedProcess::pid).contains(hidden);
      assertThat(Pids.allGone(List.of(hidden), Duration.ofSeconds(5))).isTrue();
    } finally {
      ProcessHandle.of(hidden).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void leavesAProperDaemonAloneThatLeftTheGroupClearedItsEnvironmentAndClosedItsOutput()
      throws Exception {
    var lines = new Lines(1);
    // Out of reach by design (docs/security.md, "Processes"): nothing ties it to the execution.
    Execution execution =
        executor.start(
            spec(
                "sh",
                "-c",
                "(setsid env -i sleep 1003 </dev/null >/dev/null 2>&1 & "
                    + Pids.printOnceItRuns("sleep 1003")
                    + ")"),
            lines);
    long hidden = Long.parseLong(lines.awaitOut().get(0));
    try {
      ExitStatus exit = execution.await();

      assertThat(exit.code()).isZero();
      assertThat(exit.ended()).isEmpty();
      assertThat(Pids.running(hidden)).isTrue();
    } finally {
      ProcessHandle.of(hidden).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
