package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that leaves real daemons — one in its own session ({@code setsid}), one that also cleared
 * its environment ({@code setsid env -i}), both holding the node's stdout open — and then runs on:
 * the node's timeout, a SIGTERM of {@code orchestra run} (Ctrl-C, a CI cancel) and a resume after
 * {@code kill -9} of {@code orchestra run} each end all of them.
 */
class ProcessEscapeIT {
  /** Generous: only a broken cleanup takes this long. */
  private static final long GONE_SECONDS = 30;

  private static final String SCRIPT =
      """
      if [ -e "$SYNC/resumed" ]; then echo resumed; exit 0; fi
      (setsid sleep 1201 & echo $! > "$SYNC/session.pid")
      (setsid env -i sleep 1202 & echo $! > "$SYNC/clean.pid")
      echo $$ > "$SYNC/leader.pid"
      echo daemons up
      exec sleep 1203
      """;

  @TempDir Path dir;
  @TempDir Path sync;

  private void workflow(String timeout) throws IOException {
    Files.writeString(dir.resolve("daemons.sh"), SCRIPT);
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: daemons
        nodes:
          d:
            agent: command
            command: [sh, daemons.sh]
            env: {SYNC: "%s"}
            attempts: 1
        %s
        """
            .formatted(sync, timeout == null ? "" : "    timeout: " + timeout));
  }

  private OrchestraProcess run(String... args) throws IOException {
    return OrchestraProcess.start(
        dir, Map.of("ORCHESTRA_HOME", dir.resolve("home").toString()), args);
  }

  @Test
  void theTimeoutEndsDaemonsInTheirOwnSessionAndWithoutTheirEnvironment() throws Exception {
    workflow("2s");

    try (OrchestraProcess run = run("run", "flow.yaml", "--json")) {
      Event.NodeFinished finished =
          (Event.NodeFinished) run.await(e -> e instanceof Event.NodeFinished).event();
      assertThat(finished.status()).isEqualTo(NodeStatus.TIMED_OUT);
      assertThat(run.exitCode()).isEqualTo(1);
    }
    assertAllGone();
  }

  @Test
  void sigtermOfTheRunEndsTheDaemonsAndExits130() throws Exception {
    workflow(null);

    try (OrchestraProcess run = run("run", "flow.yaml", "--json")) {
      run.await(e -> e instanceof Event.NodeOutput o && o.text().equals("daemons up"));
      run.terminate();
      assertThat(run.exitCode()).as(run.stderr()).isEqualTo(130);
    }
    assertAllGone();
  }

  @Test
  void resumeAfterKillMinus9EndsTheDaemonsTheKilledRunLeft() throws Exception {
    workflow(null);

    String runId;
    try (OrchestraProcess run = run("run", "flow.yaml", "--json")) {
      runId =
          run.await(e -> e instanceof Event.NodeOutput o && o.text().equals("daemons up")).run();
    } // close() is kill -9
    // They outlived the run: what the resume must end.
    for (long pid : pids()) {
      assertThat(running(pid)).as("pid %d after kill -9 of orchestra", pid).isTrue();
    }

    Files.writeString(sync.resolve("resumed"), "");
    try (OrchestraProcess resume = run("resume", runId, "--json")) {
      assertThat(resume.exitCode()).as(resume.stderr()).isZero();
      assertThat(resume.events())
          .anySatisfy(e -> assertThat(e).isInstanceOf(Event.RunStarted.class));
    }
    assertAllGone();
  }

  private List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String name : List.of("leader", "session", "clean")) {
      pids.add(Long.parseLong(Files.readString(sync.resolve(name + ".pid")).strip()));
    }
    return pids;
  }

  private void assertAllGone() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GONE_SECONDS);
    for (long pid : pids()) {
      while (running(pid) && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      assertThat(running(pid)).as("pid %d is still running", pid).isFalse();
    }
  }

  /** Whether {@code pid} runs: it exists and is not a zombie waiting for init. */
  private static boolean running(long pid) throws IOException {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
