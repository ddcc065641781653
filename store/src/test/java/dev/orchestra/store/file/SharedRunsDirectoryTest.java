package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engines that share one runs directory, each with its own store as separate {@code orchestra}
 * processes in one project would have (issue 16, "what held"): many runs at once keep apart, and of
 * two resumes of one run the second is refused while the first holds it.
 */
class SharedRunsDirectoryTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  @TempDir Path dir;
  private final List<Engine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Engine::close);
  }

  private Engine engine() {
    Engine e =
        Engine.builder()
            .store(FileRunStore.under(dir))
            .baseDirectory(dir)
            .environment(Map.of())
            .build();
    engines.add(e);
    return e;
  }

  private Workflow workflow(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return Workflows.load(file, (Map<String, String>) null);
  }

  @Test
  void eighteenRunsStartedAtOnceInOneDirectoryEachKeepWholeRecordsOfTheirOwn() throws Exception {
    Workflow workflow =
        workflow(
            "each.yaml",
            """
            version: 1
            name: each
            nodes:
              a: {agent: command, command: 'echo "$ORCHESTRA_RUN" >> runs.txt; echo "a $ORCHESTRA_RUN"'}
              b: {needs: [a], agent: command, command: 'echo "b $ORCHESTRA_RUN"'}
            """);
    List<RunHandle> handles = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      handles.add(engine().start(workflow, RunOptions.defaults()));
    }
    List<RunResult> results = new ArrayList<>();
    for (RunHandle h : handles) {
      results.add(h.await(WAIT).orElseThrow(() -> new AssertionError("a run did not end")));
    }

    assertThat(results).extracting(RunResult::status).containsOnly(RunStatus.SUCCEEDED);
    List<String> ids = results.stream().map(RunResult::runId).toList();
    assertThat(ids).doesNotHaveDuplicates().hasSize(18);
    assertThat(Files.readAllLines(dir.resolve("runs.txt")))
        .containsExactlyInAnyOrderElementsOf(ids);
    FileRunStore store = FileRunStore.under(dir);
    assertThat(store.list()).extracting(RunSummary::id).containsExactlyInAnyOrderElementsOf(ids);
    for (RunResult r : results) {
      assertThat(r.nodes().get("b").output()).isEqualTo("b " + r.runId());
      List<RecordedEvent> events = store.events(r.runId());
      assertThat(events)
          .extracting(RecordedEvent::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      assertThat(events.get(events.size() - 1).event()).isInstanceOf(Event.RunFinished.class);
      assertThat(store.result(r.runId())).isPresent();
    }
  }

  @Test
  void ofTwoResumesOfOneRunTheSecondIsRefusedWhileTheFirstRuns() throws Exception {
    // The first run fails; its resume finds the marker and waits, holding the run.
    Workflow workflow =
        workflow(
            "twice.yaml",
            """
            version: 1
            name: twice
            nodes:
              n:
                agent: command
                attempts: 1
                command: 'if [ -e tried ]; then echo ready; exec sleep 300; fi; touch tried; exit 1'
            """);
    RunResult failed = engine().start(workflow, RunOptions.defaults()).await(WAIT).orElseThrow();
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    String id = failed.runId();
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle first =
        engine()
            .resume(
                id,
                RunOptions.defaults()
                    .withListener(
                        e -> {
                          if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
                            ready.countDown();
                          }
                        }));
    assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    long before = FileRunStore.under(dir).events(id).size();

    assertThatThrownBy(() -> engine().resume(id, RunOptions.defaults()))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("in use by another process");

    assertThat(FileRunStore.under(dir).events(id)).hasSize((int) before);
    first.cancel();
    RunResult cancelled = first.await(WAIT).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
    List<RecordedEvent> events = FileRunStore.under(dir).events(id);
    assertThat(events)
        .extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(events).filteredOn(e -> e.event() instanceof Event.RunStarted).hasSize(2);
  }
}
