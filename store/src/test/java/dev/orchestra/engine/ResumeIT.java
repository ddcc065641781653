package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume after a real {@code kill -9} of the JVM running the engine. */
class ResumeIT {
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
  void resumesAfterKillDashNineWithoutRerunningSucceededNodes() throws Exception {
    Path wf =
        f.write(
            "crash.yaml",
            """
            version: 1
            name: crash
            defaults: {agent: command}
            nodes:
              first: {command: "echo x >> first.count; echo first done"}
              second:
                needs: [first]
                command: 'if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then sleep 1000 & echo $! > second.pid; echo ready; wait; fi; echo second done'
              third: {needs: [second], command: "echo x >> third.count"}
            """);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashableRun.class.getName(),
                dir.toString(),
                wf.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String runId = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        RecordedEvent e = EventJson.decode(line);
        runId = e.run();
        if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
          break;
        }
      }
      // The crash: no cancel, no run_finished, no result.json.
      child.destroyForcibly();
      child.waitFor();
    }
    // The agent's process group outlives a kill -9 of the engine; end it as an operator would.
    long orphan = Long.parseLong(Files.readString(dir.resolve("second.pid")).trim());
    ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
    assertThat(runId).isNotNull();
    assertThat(f.store.result(runId)).isEmpty();
    long lastSeqBefore = f.store.events(runId).get(f.store.events(runId).size() - 1).seq();

    RunResult result =
        f.engine
            .resume(runId, RunOptions.defaults().withListener(f::record))
            .await(Duration.ofSeconds(60))
            .orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readAllLines(dir.resolve("first.count"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("third.count"))).hasSize(1);
    assertThat(result.nodes().get("first").output()).isEqualTo("first done");
    assertThat(result.nodes().get("second").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("second").output()).isEqualTo("second done");
    assertThat(f.events(Event.NodeStarted.class))
        .extracting(Event.NodeStarted::node, Event.NodeStarted::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("second", 2),
            org.assertj.core.groups.Tuple.tuple("third", 1));
    RecordedEvent resumed = f.events.get(0);
    assertThat(resumed.seq()).isEqualTo(lastSeqBefore + 1);
    assertThat(resumed.event()).isInstanceOf(Event.RunStarted.class);
    assertThat(((Event.RunStarted) resumed.event()).resumed()).isTrue();
    List<RecordedEvent> all = f.store.events(runId);
    assertThat(all)
        .extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
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
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    RunHandle first =
        f.start(
            wf,
            RunOptions.defaults()
                .withListener(
                    e -> {
                      if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
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
