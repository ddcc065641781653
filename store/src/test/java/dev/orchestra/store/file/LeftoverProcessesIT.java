package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.RunStatus;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.testing.KilledRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume after a real {@code kill -9} ends the daemons the crashed session's attempts left. */
class LeftoverProcessesIT {
  @TempDir Path dir;
  EngineRun f;

  @BeforeEach
  void setUp() {
    f = new EngineRun(dir, FileRunStore.under(dir), Map.of());
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
    ProcessGroup group = f.store().attempts(runId, "serve").get(0).processes().get(0);
    assertThat(running(daemon)).isTrue();
    assertThat(groupOf(daemon)).isNotEqualTo(group.id());
    assertThat(group.tag()).startsWith("ORCHESTRA_TAG_");

    RunHandle resumed = f.engine().resume(runId, RunOptions.defaults().withListener(f::record));
    // Ended before the resume ran anything; this test never kills it itself.
    assertThat(running(daemon)).isFalse();
    assertThat(running(group.id())).isFalse();
    RunResult result = resumed.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("serve").output()).isEqualTo("served");
  }

  /**
   * Runs {@code workflow} in a child JVM, kills it with {@code kill -9} once a node printed {@code
   * ready}.
   */
  private String crash(Path workflow, String ready) throws Exception {
    return KilledRun.killWhen(ready, CrashableRun.class, dir.toString(), workflow.toString());
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
