package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.EngineRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine recording into the file store: when a run's result is handed out, its files on
 * disk are complete. The engine's behaviour itself is tested in core, over the memory store.
 */
class EngineRecordsTest {
  @TempDir Path dir;
  EngineRun f;
  FileRunStore store;

  @BeforeEach
  void setUp() {
    store = FileRunStore.under(dir);
    f = new EngineRun(dir, store, Map.of());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aCancelledRunsEventsFileEndsWithRunFinishedAndItsResultIsWritten() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle run =
        f.engine()
            .start(
                f.workflow(
                    """
                    version: 1
                    name: c
                    nodes:
                      busy: {agent: command, command: "echo ready; sleep 1000"}
                    """),
                RunOptions.defaults()
                    .withListener(
                        e -> {
                          if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
                            ready.countDown();
                          }
                        }));
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    run.cancel();
    RunResult result = run.await(Duration.ofSeconds(10)).orElseThrow();

    List<String> lines =
        Files.readAllLines(store.runDirectory(run.runId()).resolve("events.jsonl"));
    RecordedEvent last = EventJson.decode(lines.get(lines.size() - 1));
    assertThat(last.event())
        .isEqualTo(new Event.RunFinished(RunStatus.CANCELLED, result.usage(), "run cancelled"));
    assertThat(store.result(run.runId())).contains(result);
    assertThat(Files.readString(store.runDirectory(run.runId()).resolve("nodes/busy/1/stdout.log")))
        .isEqualTo("ready\n");
  }
}
