package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume within one process: a cancelled run, and the records of a crashed session. The resume
 * after a real {@code kill -9} is {@code ResumeIT} in the {@code store} module, over the file
 * store.
 */
class ResumeTest {
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
  void leavesARecordedPidAloneWhenItsStartTimeIsNotTheRecordedOne() throws Exception {
    String text =
        """
        version: 1
        name: stranger
        defaults: {agent: command}
        nodes:
          only: {command: "echo only done"}
        """;
    Path wf = f.write("stranger.yaml", text);
    // The test's own process, leading its own group as an agent would, with the pid of a crashed
    // run's agent but another start time: it stands for a stranger that reused the pid.
    Process stranger = new ProcessBuilder("setsid", "sleep", "1000").start();
    try {
      Instant realStart = stranger.toHandle().info().startInstant().orElseThrow();
      String runId = "20261123-230000-0bad";
      Instant t = Instant.parse("2026-11-23T23:00:00Z");
      try (RunRecorder rec =
          f.store.create(new RunInfo(runId, "stranger", wf.toString(), text, Map.of(), t))) {
        rec.append(
            new RecordedEvent(1, t, runId, new Event.RunStarted("stranger", Map.of(), false)));
        rec.append(new RecordedEvent(2, t, runId, new Event.NodeStarted("only", 1)));
        try (AttemptRecorder attempt = rec.attempt("only", 1)) {
          attempt.process(new ProcessGroup(stranger.pid(), realStart.minusSeconds(3600)));
        }
      }

      RunResult result =
          f.engine.resume(runId, RunOptions.defaults()).await(Duration.ofSeconds(60)).orElseThrow();

      assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(result.nodes().get("only").attempts()).isEqualTo(2);
      assertThat(stranger.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void resumesACancelledRunRunningOnlyWhatDidNotSucceed() throws Exception {
    var wf =
        f.workflow(
            "cancelled.yaml",
            """
            version: 1
            name: cancelled
            defaults: {agent: command, attempts: 1}
            nodes:
              done: {command: "echo x >> done.count"}
              broken: {command: "test -f fixed"}
              waits: {needs: [done], command: 'test -f fixed || { echo ready; sleep 1000; }'}
            """);
    // Cancelled once 'waits' runs and 'broken' has failed, which happen in either order.
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(2);
    RunHandle first =
        f.start(
            wf,
            RunOptions.defaults()
                .withListener(
                    e -> {
                      if ((e.event() instanceof Event.NodeOutput o && o.text().equals("ready"))
                          || (e.event() instanceof Event.NodeFinished n
                              && n.node().equals("broken"))) {
                        ready.countDown();
                      }
                    }));
    assertThat(ready.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    first.cancel();
    RunResult cancelled = first.await(Duration.ofSeconds(10)).orElseThrow();
    assertThat(cancelled.nodes().get("broken").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(cancelled.nodes().get("waits").status()).isEqualTo(NodeStatus.CANCELLED);
    Files.writeString(dir.resolve("fixed"), "");

    // As `orchestra run FILE --resume RUN` does it: the same workflow, the run to continue.
    RunResult result =
        f.engine
            .start(wf, RunOptions.defaults().withResume(first.runId()))
            .await(Duration.ofSeconds(60))
            .orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readAllLines(dir.resolve("done.count"))).hasSize(1);
    assertThat(result.nodes().get("broken").attempts()).isEqualTo(2);
    assertThat(f.store.result(first.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
  }
}
