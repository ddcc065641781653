package dev.orchestra.runtime.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.exec.EndedProcess;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.LocalExecutor;
import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.exec.ProcessReaper;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.exec.Spawner;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor on {@link PosixSpawner}: the guarantees {@code LocalExecutorTest} checks for
 * the {@code setsid} path, for processes that {@code posix_spawn} started.
 */
class PosixSpawnerTest {
  private final PosixSpawner spawner = new PosixSpawner();
  private final LocalExecutor executor = new LocalExecutor(spawner);
  @TempDir Path dir;

  @BeforeEach
  void onGlibc() {
    assumeThat(spawner.usesPosixSpawn()).as("glibc 2.34+ with /proc").isTrue();
  }

  private ProcessSpec spec(String... argv) {
    return new ProcessSpec(List.of(argv), dir, Map.of(), null, null);
  }

  @Test
  void startsTheProcessAsTheLeaderOfItsOwnSessionAndGroup() throws Exception {
    var lines = new Lines(1);
    Execution execution = executor.start(spec("sh", "-c", "echo $$; exec sleep 600"), lines);
    long pid = Long.parseLong(lines.awaitOut().get(0));

    List<String> stat = stat(pid);
    assertThat(stat.get(1)).as("parent").isEqualTo("" + ProcessHandle.current().pid());
    assertThat(stat.get(2)).as("process group").isEqualTo("" + pid);
    assertThat(stat.get(3)).as("session").isEqualTo("" + pid);
    assertThat(execution.processGroup()).map(g -> g.id()).contains(pid);
    assertThat(execution.processGroup().orElseThrow().started())
        .isEqualTo(ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow());

    execution.kill();
    assertThat(execution.await().killed()).isTrue();
  }

  @Test
  void leaksNoDescriptorOfTheJvmIntoTheChildNotEvenOnesWithoutCloseOnExec() throws Exception {
    Path held = Files.writeString(dir.resolve("held.txt"), "the JVM holds this open");
    Path input = Files.writeString(dir.resolve("in.txt"), "input\n");
    try (var open = new FileInputStream(held.toFile())) {
      assertThat(heldWithoutCloseOnExec(held)).as("the JVM holds it, inheritable").isTrue();
      var lines = new Lines(1);
      Execution execution =
          executor.start(
              new ProcessSpec(
                  List.of("sh", "-c", "echo $$; exec sleep 600"), dir, Map.of(), input, null),
              lines);
      long pid = Long.parseLong(lines.awaitOut().get(0));
      awaitCommand(pid, "sleep 600");

      Path fds = Path.of("/proc/" + pid + "/fd");
      List<String> names;
      try (Stream<Path> list = Files.list(fds)) {
        names = list.map(p -> p.getFileName().toString()).sorted().toList();
      }
      assertThat(names).containsExactly("0", "1", "2");
      assertThat(Files.readSymbolicLink(fds.resolve("0"))).isEqualTo(input.toRealPath());
      assertThat(Files.readSymbolicLink(fds.resolve("1")).toString()).startsWith("pipe:[");
      assertThat(Files.readSymbolicLink(fds.resolve("2")).toString()).startsWith("pipe:[");
      execution.kill();
      execution.await();
    }
  }

  @Test
  void killingEndsTheWholeGroupWithADoubleForkedChild() throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(
            spec("sh", "-c", "(sleep 781 </dev/null >/dev/null 2>&1 & echo $!); exec sleep 600"),
            lines);
    long grandchild = Long.parseLong(lines.awaitOut().get(0));
    awaitCommand(grandchild, "sleep 781");
    long leader = execution.processGroup().orElseThrow().id();
    assertThat(stat(grandchild).get(2)).as("its group").isEqualTo("" + leader);

    execution.kill();
    ExitStatus exit = execution.await();

    assertThat(exit.killed()).isTrue();
    assertThat(exit.code()).isEqualTo(128 + 15);
    assertThat(exit.ended()).containsExactly(new EndedProcess(grandchild, "sleep 781"));
    assertThat(gone(grandchild, Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void givesTheProcessExactlyTheLaunchEnvironment() throws Exception {
    Process process =
        spawner.spawn(
            new Spawner.Launch(
                List.of("/usr/bin/env"),
                Map.of("ONLY", "this", "AND", "that one"),
                dir,
                Path.of("/dev/null")));

    assertThat(new String(process.getInputStream().readAllBytes()).lines())
        .containsExactlyInAnyOrder("ONLY=this", "AND=that one");
    assertThat(process.waitFor()).isZero();
  }

  @Test
  void knowsTheOutputPipesOfAChildEvenAfterItWasReaped() throws Exception {
    Process running = spawner.spawn(launch("/bin/sleep", "600"));
    Process quick = spawner.spawn(launch("/bin/true"));
    try {
      Path fds = Path.of("/proc/" + running.pid() + "/fd");
      assertThat(spawner.outputPipes(running))
          .containsExactly(
              Files.readSymbolicLink(fds.resolve("1")).toString(),
              Files.readSymbolicLink(fds.resolve("2")).toString());
      assertThat(quick.waitFor()).isZero();
      assertThat(Files.exists(Path.of("/proc/" + quick.pid()))).as("reaped").isFalse();
      assertThat(spawner.outputPipes(quick)).hasSize(2).allMatch(p -> p.startsWith("pipe:["));
    } finally {
      running.destroyForcibly();
    }
  }

  private Spawner.Launch launch(String... argv) {
    return new Spawner.Launch(List.of(argv), Map.of(), dir, Path.of("/dev/null"));
  }

  @Test
  void runsInTheWorkingDirectoryWithStdinFromTheFile() throws Exception {
    Path input = Files.writeString(dir.resolve("in.txt"), "from the file\n");
    var lines = new Lines();
    run(new ProcessSpec(List.of("sh", "-c", "pwd -P; cat"), dir, Map.of(), input, null), lines);

    assertThat(lines.out()).containsExactly(dir.toRealPath().toString(), "from the file");
  }

  @Test
  void reportsExitCodesAndSignalsAsTheJdkDoes() throws Exception {
    assertThat(run(spec("sh", "-c", "exit 3")).code()).isEqualTo(3);
    assertThat(run(spec("sh", "-c", "kill -KILL $$")).code()).isEqualTo(128 + 9);
  }

  @Test
  void runsAnExecutableWithoutAShebangLineWithTheShellAsExecvpWould() throws Exception {
    Path script = executable("plain", "echo \"plain script $1\"\n");
    var lines = new Lines();
    ExitStatus exit = run(spec(script.toString(), "ran"), lines);

    assertThat(exit.code()).isZero();
    assertThat(lines.out()).containsExactly("plain script ran");
  }

  @Test
  void reportsAMissingProgramNamingIt() {
    assertThatThrownBy(() -> executor.start(spec("no-such-program-xyz"), new Lines()))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'no-such-program-xyz' not found on PATH");
  }

  @Test
  void reportsAMissingInterpreterAsALaunchErrorNamingTheProgram() throws Exception {
    Path script = executable("broken", "#!/no/such/interpreter\n");

    long pipes = pipesOfTheJvm();

    assertThatThrownBy(() -> executor.start(spec(script.toString()), new Lines()))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining(script.toString())
        .hasMessageContaining("names the interpreter '/no/such/interpreter' in its #! line");
    // The failed launch's pipes are closed again.
    assertThat(pipesOfTheJvm()).isLessThanOrEqualTo(pipes);
    assertThat(run(spec("true")).code()).isZero();
  }

  @Test
  void streamsStdoutAndStderrLinesInOrderWhileTheProcessRuns() throws Exception {
    Path go = dir.resolve("go");
    var lines = new Lines(500);
    Execution execution =
        executor.start(
            spec(
                "sh",
                "-c",
                "i=1; while [ $i -le 500 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done;"
                    + " until [ -e go ]; do sleep 0.01; done; echo last"),
            lines);

    // All 500 lines of each stream arrive while the process still waits for the file.
    assertThat(lines.awaitOut()).containsExactlyElementsOf(numbered("out", 500));
    awaitErr(lines, 500);
    assertThat(execution.await(Duration.ZERO)).as("still running").isFalse();
    Files.writeString(go, "");
    assertThat(execution.await(Duration.ofSeconds(30))).as("process ended").isTrue();

    assertThat(execution.await().code()).isZero();
    assertThat(lines.out()).hasSize(501).endsWith("last");
    assertThat(lines.err()).containsExactlyElementsOf(numbered("err", 500));
  }

  @Test
  void reportsAMissingProgramWithTheFallbacksMessage() {
    var setsid = new LocalExecutor(Spawner.setsid());
    ProcessSpec missing = spec("no-such-program-xyz", "arg");

    Throwable spawned = catchThrowable(() -> executor.start(missing, new Lines()));
    Throwable fallback = catchThrowable(() -> setsid.start(missing, new Lines()));

    assertThat(spawned).isInstanceOf(LaunchException.class);
    assertThat(fallback).isInstanceOf(LaunchException.class);
    assertThat(spawned.getMessage()).isEqualTo(fallback.getMessage());
  }

  @Test
  void reportsAScriptsMissingInterpreterAsTheSameLaunchErrorOnBothPaths() throws Exception {
    Path script = executable("script.sh", "#!/nonexistent/sh\necho never\n");
    var setsid = new LocalExecutor(Spawner.setsid());
    ProcessSpec launch = spec(script.toString());

    Throwable spawned = catchThrowable(() -> executor.start(launch, new Lines()));
    Throwable fallback = catchThrowable(() -> setsid.start(launch, new Lines()));

    assertThat(spawned)
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'/nonexistent/sh'")
        .hasMessageContaining("#! line");
    assertThat(fallback).isInstanceOf(LaunchException.class);
    assertThat(spawned.getMessage()).isEqualTo(fallback.getMessage());
  }

  @Test
  void endsADaemonInItsOwnSessionWithoutTheTagByTheOutputPipeItHolds() throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(
            spec(
                "sh",
                "-c",
                "(setsid env -i sleep 782 & p=$!; until [ \"$(tr '\\0' ' ' </proc/$p/cmdline)\""
                    + " = 'sleep 782 ' ]; do sleep 0.01; done; echo $p)"),
            lines);
    long daemon = Long.parseLong(lines.awaitOut().get(0));
    assertThat(stat(daemon).get(3)).as("its own session").isEqualTo("" + daemon);
    assertThat(environment(daemon)).as("no tag").isEmpty();

    ExitStatus exit = execution.await();

    assertThat(exit.code()).isZero();
    assertThat(exit.ended()).containsExactly(new EndedProcess(daemon, "sleep 782"));
    assertThat(gone(daemon, Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aReaperEndsTheRecordedGroupByItsLeadersStartTimeAndLeavesAStrangerAlone() throws Exception {
    var lines = new Lines(1);
    Execution execution =
        executor.start(spec("sh", "-c", "sleep 783 & echo $!; exec sleep 600"), lines);
    long grandchild = Long.parseLong(lines.awaitOut().get(0));
    ProcessGroup group = execution.processGroup().orElseThrow();
    // The same pid with another start time and no tag or pipes: a stranger that got the pid.
    ProcessGroup stranger = new ProcessGroup(group.id(), group.started().minusSeconds(3600));

    assertThat(ProcessReaper.reap(stranger)).isEqualTo(ProcessReaper.Reaped.STRANGER);
    assertThat(stat(group.id()).get(0)).as("the leader's state").isNotIn("Z", "X");

    assertThat(ProcessReaper.reap(group)).isEqualTo(ProcessReaper.Reaped.KILLED);
    assertThat(gone(grandchild, Duration.ofSeconds(10))).isTrue();
    assertThat(execution.await(Duration.ofSeconds(30))).as("process ended").isTrue();
    assertThat(execution.await().code()).isEqualTo(128 + 15);
  }

  @Test
  void fallsBackToSetsidWithoutTheCLibrary() throws Exception {
    var fallback = new PosixSpawner("no-such-c-library");
    assertThat(fallback.usesPosixSpawn()).isFalse();
    assertThat(fallback.ownsGroup()).isEqualTo(Spawner.setsid().ownsGroup());
    var lines = new Lines();
    ExitStatus exit =
        run(new LocalExecutor(fallback), spec("sh", "-c", "echo $$; cat /proc/$$/stat"), lines);

    assertThat(exit.code()).isZero();
    String pid = lines.out().get(0);
    String stat = lines.out().get(1);
    List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    assertThat(fields.get(2)).as("its own group").isEqualTo(pid);
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
  }

  private static void awaitErr(Lines lines, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (lines.err().size() < count) {
      assertThat(System.nanoTime()).as("%d stderr lines in time", count).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** The variables of {@code pid} whose names start with {@code ORCHESTRA_TAG_}. */
  private static List<String> environment(long pid) throws IOException {
    String env = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")));
    return Stream.of(env.split("\0")).filter(v -> v.startsWith("ORCHESTRA_TAG_")).toList();
  }

  private ExitStatus run(ProcessSpec spec) throws InterruptedException {
    return run(executor, spec, new Lines());
  }

  private ExitStatus run(ProcessSpec spec, Lines lines) throws InterruptedException {
    return run(executor, spec, lines);
  }

  private static ExitStatus run(LocalExecutor executor, ProcessSpec spec, Lines lines)
      throws InterruptedException {
    Execution execution = executor.start(spec, lines);
    assertThat(execution.await(Duration.ofSeconds(30))).as("process ended").isTrue();
    return execution.await();
  }

  private Path executable(String name, String text) throws IOException {
    Path file = Files.writeString(dir.resolve(name), text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static long pipesOfTheJvm() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(PosixSpawnerTest::link)
          .flatMap(Optional::stream)
          .filter(target -> target.toString().startsWith("pipe:"))
          .count();
    }
  }

  /** Whether this JVM holds {@code file} open on a descriptor without O_CLOEXEC. */
  private static boolean heldWithoutCloseOnExec(Path file) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        Optional<Path> target = link(fd);
        if (target.isPresent() && target.get().equals(file.toRealPath())) {
          String flags =
              Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd.getFileName())).stream()
                  .filter(l -> l.startsWith("flags:"))
                  .findFirst()
                  .orElseThrow()
                  .substring("flags:".length())
                  .trim();
          if ((Long.parseLong(flags, 8) & 02000000) == 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Optional<Path> link(Path fd) {
    try {
      return Optional.of(Files.readSymbolicLink(fd));
    } catch (IOException e) {
      return Optional.empty(); // closed since the listing
    }
  }

  /** The fields of {@code /proc/PID/stat} after the command: state, ppid, pgrp, session, … */
  private static List<String> stat(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
  }

  /** Waits until {@code pid} has exec'd {@code command} (its fork's descriptors are gone then). */
  private static void awaitCommand(long pid, String command) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.readString(Path.of("/proc/" + pid + "/cmdline"))
        .replace('\0', ' ')
        .equals(command + " ")) {
      assertThat(System.nanoTime()).as("%d runs %s in time", pid, command).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static boolean gone(long pid, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Path stat = Path.of("/proc/" + pid + "/stat");
      if (!Files.exists(stat) || List.of("Z", "X").contains(stat(pid).get(0))) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  /** A process's output lines, per stream; can await a number of stdout lines. */
  private static final class Lines implements OutputListener {
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final CountDownLatch expected;

    Lines() {
      this(0);
    }

    Lines(int expectedOut) {
      expected = new CountDownLatch(expectedOut);
    }

    @Override
    public synchronized void onLine(OutputStream stream, String line) {
      if (stream == OutputStream.STDOUT) {
        out.add(line);
        expected.countDown();
      } else {
        err.add(line);
      }
    }

    synchronized List<String> out() {
      return List.copyOf(out);
    }

    synchronized List<String> err() {
      return List.copyOf(err);
    }

    List<String> awaitOut() throws InterruptedException {
      assertThat(expected.await(20, TimeUnit.SECONDS)).as("stdout lines arrived").isTrue();
      return out();
    }
  }
}
