package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two starts in one second may draw the same run id; the one whose create finds the id taken draws
 * another instead of failing (a server's concurrent submissions did fail so).
 */
class RunIdClashTest {
  @TempDir Path dir;

  @Test
  void aStartWhoseIdIsTakenBetweenTheLookAndTheCreateDrawsAnother() throws Exception {
    Path file = dir.resolve("hello.yaml");
    Files.writeString(
        file,
        "version: 1\nname: hello\nnodes:\n  hi:\n    agent: command\n    command: [echo, hi]\n");
    Workflow workflow = Workflows.load(file, (Map<String, String>) null);
    RacedStore store = new RacedStore(MemoryRunStore.withScratch(dir.resolve(".orchestra")));
    Engine engine =
        Engine.builder()
            .store(store)
            .baseDirectory(dir)
            .random(new Random(7))
            .scratch(dir.resolve(".scratch"))
            .build();

    RunHandle run = engine.start(workflow, RunOptions.defaults());
    RunResult result = run.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(store.taken).isNotNull().isNotEqualTo(run.runId());
    assertThat(store.list()).extracting(RunSummary::id).contains(store.taken, run.runId());
  }

  /** Creates the first run asked for itself just before, as another start would have. */
  private static final class RacedStore implements RunStore {
    final RunStore delegate;
    String taken;

    RacedStore(RunStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized RunRecorder create(RunInfo info) {
      if (taken == null) {
        taken = info.id();
        delegate.create(info).close();
      }
      return delegate.create(info);
    }

    @Override
    public RunRecorder reopen(String runId) {
      return delegate.reopen(runId);
    }

    @Override
    public List<RunSummary> list() {
      return delegate.list();
    }

    @Override
    public RunPage list(RunQuery query) {
      return delegate.list(query);
    }

    @Override
    public boolean delete(String runId) {
      return delegate.delete(runId);
    }

    @Override
    public Optional<RunInfo> find(String runId) {
      return delegate.find(runId);
    }

    @Override
    public List<RecordedEvent> events(String runId) {
      return delegate.events(runId);
    }

    @Override
    public List<RecordedEvent> events(String runId, long afterSeq) {
      return delegate.events(runId, afterSeq);
    }

    @Override
    public Optional<RunResult> result(String runId) {
      return delegate.result(runId);
    }

    @Override
    public List<AttemptRecord> attempts(String runId, String node) {
      return delegate.attempts(runId, node);
    }

    @Override
    public Decision decide(String runId, String node, Decision decision) {
      return delegate.decide(runId, node, decision);
    }

    @Override
    public Map<String, Decision> decisions(String runId) {
      return delegate.decisions(runId);
    }

    @Override
    public DecisionWatch watchDecisions(
        String runId, Collection<String> nodes, Consumer<String> listener) {
      return delegate.watchDecisions(runId, nodes, listener);
    }
  }
}
