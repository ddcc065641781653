package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attempt's process leaves running is ended when the attempt's process ends, normally, by
 * its timeout or by a cancel, and the attempt's record and events say what was ended.
 */
class LeftoverProcessesTest {
  /**
   * Shell code that puts {@code sleep SECONDS} into a session of its own by a double fork, holding
   * the attempt's stdout, and writes its pid to {@code FILE} once it runs there.
   */
  private static String daemon(int seconds, String file) {
    return "(setsid sleep "
        + seconds
        + " & p=$!; until [ \"$(tr '\\0' ' ' </proc/$p/cmdline)\" = 'sleep "
        + seconds
        + " ' ]; do sleep 0.01; done; echo $p > "
        + file
        + ")";
  }

  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() throws IOException {
    f = new EngineFixture(dir);
    Files.writeString(dir.resolve("daemon.sh"), daemon(779, "daemon.pid") + "\n");
    Files.writeString(dir.resolve("hung-daemon.sh"), daemon(1000, "hung-daemon.pid") + "\n");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aRunOfCommandsThatLeaveProcessesBehindEndsWithNoneAliveAndSaysWhatWasEnded()
      throws Exception {
    Workflow wf =
        f.workflow(
            "leftovers.yaml",
            """
            version: 1
            name: leftovers
            defaults: {agent: command}
            nodes:
              job: {command: 'sleep 777 & echo $! > job.pid; echo started'}
              quiet: {command: 'sleep 778 >/dev/null 2>&1 & echo $! > quiet.pid; echo quiet'}
              daemon: {command: 'sh daemon.sh'}
              clean: {command: 'echo nothing left'}
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertEnded(result.runId(), "job", "job.pid", "sleep 777", "left running");
    assertEnded(result.runId(), "quiet", "quiet.pid", "sleep 778", "left running");
    assertEnded(result.runId(), "daemon", "daemon.pid", "sleep 779", "left running");
    assertThat(f.events(Event.NodeOutput.class))
        .filteredOn(o -> o.node().equals("clean"))
        .extracting(Event.NodeOutput::text)
        .containsExactly("nothing left");
    assertThat(f.store.attempts(result.runId(), "clean").get(0).stderr()).isNullOrEmpty();
  }

  @Test
  void aTimeoutIsNotDefeatedByADoubleForkedDaemonThatHoldsStdout() throws Exception {
    Workflow wf =
        f.workflow(
            "timeout.yaml",
            """
            version: 1
            name: timeout
            nodes:
              hung:
                agent: command
                timeout: 2s
                command: 'sh hung-daemon.sh; echo ready; sleep 1000'
            """);

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("hung").status()).isEqualTo(NodeStatus.TIMED_OUT);
    // The node ended by its timeout, not by 'sleep 1000' running out: a bound far from both, so a
    // loaded machine does not break it (the kill's own 5 s bound is the executor's tests' matter).
    assertThat(nodeTook("hung")).isLessThan(Duration.ofSeconds(300));
    assertEnded(
        result.runId(), "hung", "hung-daemon.pid", "sleep 1000", "had started, along with it");
  }

  @Test
  void aCancelIsNotDefeatedByADoubleForkedDaemonThatHoldsStdout() throws Exception {
    Workflow wf =
        f.workflow(
            "cancel.yaml",
            """
            version: 1
            name: cancel
            nodes:
              hung: {agent: command, command: 'sh hung-daemon.sh; echo ready; sleep 1000'}
            """);
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle run =
        f.start(
            wf,
            RunOptions.defaults()
                .withListener(
                    e -> {
                      if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
                        ready.countDown();
                      }
                    }));
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    long before = System.nanoTime();
    run.cancel();
    RunResult result = run.await(Duration.ofSeconds(300)).orElseThrow();

    // Ended by the cancel, not by 'sleep 1000': a bound far from both.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(300));
    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
    assertEnded(
        result.runId(), "hung", "hung-daemon.pid", "sleep 1000", "had started, along with it");
  }

  /**
   * The process whose pid {@code pidFile} holds is gone, and one stderr line of the node's attempt,
   * in its record and as an event, says that it was ended, naming its pid and {@code command}. The
   * command line may be read before the process exec'd ({@code sh -c 'sleep 777 & …'}).
   */
  private void assertEnded(String runId, String node, String pidFile, String command, String how)
      throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve(pidFile)).trim());
    assertThat(running(pid)).as("pid %d of node %s is still running", pid, node).isFalse();
    List<String> lines =
        f.events(Event.NodeOutput.class).stream()
            .filter(o -> o.node().equals(node) && o.stream().equals("stderr"))
            .map(Event.NodeOutput::text)
            .toList();
    assertThat(lines)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("orchestra: ended ")
                    .contains(" the attempt " + how + ": ")
                    .containsPattern(
                        "[:,] " + pid + " [^,]*" + java.util.regex.Pattern.quote(command)));
    assertThat(f.store.attempts(runId, node).get(0).stderr()).isEqualTo(lines.get(0) + "\n");
  }

  private Duration nodeTook(String node) {
    synchronized (f) {
      List<RecordedEvent> events = f.events;
      RecordedEvent started =
          events.stream()
              .filter(e -> EngineFixture.started(node).test(e.event()))
              .findFirst()
              .orElseThrow();
      RecordedEvent finished =
          events.stream()
              .filter(e -> EngineFixture.finished(node).test(e.event()))
              .findFirst()
              .orElseThrow();
      return Duration.between(started.time(), finished.time());
    }
  }

  /** Whether {@code pid} exists and has not exited (a zombie has exited), from /proc. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
      return !state.equals("Z") && !state.equals("X");
    } catch (IOException e) {
      return false;
    }
  }
}
