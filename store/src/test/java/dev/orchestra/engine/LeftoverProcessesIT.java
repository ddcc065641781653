package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.RunResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume after a real {@code kill -9} ends the daemons the crashed session's attempts left. */
class LeftoverProcessesIT {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void resumeEndsADaemonInItsOwnSessionThatTheCrashedSessionLeftRunning() throws Exception {
    // A double fork into a session of its own; the pid is written once it runs there.
    Files.writeString(
        dir.resolve("daemon.sh"),
        "(setsid sleep 1000 & p=$!; until [ \"$(tr '\\0' ' ' </proc/$p/cmdline)\" = 'sleep 1000 ' ];"
            + " do sleep 0.01; done; echo $p > daemon.pid)\n");
    Path wf =
        f.write(
            "crash.yaml",
            """
            version: 1
            name: crash
            nodes:
              serve:
                agent: command
                command: 'if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then sh daemon.sh; echo ready; exec sleep 1000; fi; echo served'
            """);
    String runId = crash(wf, "ready");
    long daemon = Long.parseLong(Files.readString(dir.resolve("daemon.pid")).trim());
    ProcessGroup group = f.store.attempts(runId, "serve").get(0).processes().get(0);
    assertThat(running(daemon)).isTrue();
    assertThat(groupOf(daemon)).isNotEqualTo(group.id());
    assertThat(group.tag()).startsWith("ORCHESTRA_TAG_");

    RunHandle resumed = f.engine.resume(runId, RunOptions.defaults().withListener(f::record));
    // Ended before the resume ran anything; this test never kills it itself.
    assertThat(running(daemon)).isFalse();
    assertThat(running(group.id())).isFalse();
    RunResult result = resumed.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("serve").output()).isEqualTo("served");
  }

  /**
   * Runs {@code workflow} in a child JVM, waits for a node to print {@code ready}, kills the JVM
   * with {@code kill -9} and returns the run's id.
   */
  private String crash(Path workflow, String ready) throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashableRun.class.getName(),
                dir.toString(),
                workflow.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String runId = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        RecordedEvent e = EventJson.decode(line);
        runId = e.run();
        if (e.event() instanceof Event.NodeOutput o && o.text().equals(ready)) {
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    return runId;
  }

  private static String[] stat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether {@code pid} exists and has not exited (a zombie has exited). */
  private static boolean running(long pid) {
    String[] stat = stat(pid);
    return stat != null && !stat[0].equals("Z") && !stat[0].equals("X");
  }

  private static long groupOf(long pid) {
    return Long.parseLong(stat(pid)[2]);
  }
}
